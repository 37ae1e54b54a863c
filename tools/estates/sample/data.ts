// Builders for data and messaging services: SQL servers, databases and failover groups, storage
// accounts, Key Vaults, Cosmos DB accounts, Redis caches, Service Bus namespaces and queues, and
// Log Analytics workspaces. Shapes follow the Get examples of each RP.
import type { ArmResource } from "../schema.js";
import { childId, guidFrom, lowerProviderPath, lowerResourceGroupsSegment, resourceId, TENANT_ID } from "./ids.js";
import type { Placement } from "./network.js";

const locationNames: Record<string, string> = { westeurope: "West Europe", northeurope: "North Europe" };
/** The display name ARM uses for a region in some payloads ("West Europe"). */
export const displayLocation = (location: string): string => locationNames[location] ?? location;

/** The id of SQL logical server `name`. */
export function sqlServerId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Sql", "servers", name);
}

/** A SQL logical server with Entra-only authentication. */
export function sqlServer(at: Placement, privateEndpointConnections: Record<string, unknown>[]): ArmResource {
  const id = sqlServerId(at.sub, at.rg, at.name);
  return {
    tags: at.tags ?? {},
    identity: { type: "SystemAssigned", principalId: guidFrom(`principal:${id.toLowerCase()}`), tenantId: TENANT_ID },
    id,
    name: at.name,
    type: "Microsoft.Sql/servers",
    location: at.location,
    kind: "v12.0",
    properties: {
      fullyQualifiedDomainName: `${at.name}.database.windows.net`,
      version: "12.0",
      state: "Ready",
      minimalTlsVersion: "1.2",
      publicNetworkAccess: privateEndpointConnections.length ? "Disabled" : "Enabled",
      restrictOutboundNetworkAccess: "Disabled",
      administrators: {
        administratorType: "ActiveDirectory",
        principalType: "Group",
        login: "sg-sql-admins",
        sid: guidFrom("sid:sg-sql-admins"),
        tenantId: TENANT_ID,
        azureADOnlyAuthentication: true,
      },
      privateEndpointConnections,
    },
  };
}

/** The id of database `name` on SQL server `serverId`. */
export function sqlDatabaseId(serverId: string, name: string): string {
  return childId(serverId, "databases", name);
}

/** A database on a SQL server (child entry `Microsoft.Sql/servers/databases`). */
export function sqlDatabase(
  serverId: string,
  name: string,
  opts: {
    location: string;
    sku: { name: string; tier: string; family?: string; capacity: number };
    kind?: string;
    maxSizeBytes: number;
    zoneRedundant: boolean;
    secondaryLocation: string;
    /** Set on a geo-secondary: the primary it replicates. */
    geoSecondaryOf?: string;
  },
): ArmResource {
  const id = sqlDatabaseId(serverId, name);
  const sub = serverId.split("/")[2] ?? "";
  const system = name === "master";
  const properties: Record<string, unknown> = {
    collation: "SQL_Latin1_General_CP1_CI_AS",
    maxSizeBytes: opts.maxSizeBytes,
    status: "Online",
    databaseId: guidFrom(`db:${id}`),
    creationDate: "2024-02-21T08:14:52.513Z",
    currentServiceObjectiveName: system ? "System0" : `${opts.sku.name}_${opts.sku.capacity}`,
    requestedServiceObjectiveName: system ? "System0" : `${opts.sku.name}_${opts.sku.capacity}`,
    defaultSecondaryLocation: opts.secondaryLocation,
    catalogCollation: "SQL_Latin1_General_CP1_CI_AS",
    zoneRedundant: opts.zoneRedundant,
    readScale: opts.sku.tier === "BusinessCritical" ? "Enabled" : "Disabled",
    currentSku: opts.sku,
    currentBackupStorageRedundancy: system ? "Local" : "Geo",
    requestedBackupStorageRedundancy: system ? "Local" : "Geo",
    maintenanceConfigurationId: `/subscriptions/${sub}/providers/Microsoft.Maintenance/publicMaintenanceConfigurations/SQL_Default`,
    isLedgerOn: false,
    isInfraEncryptionEnabled: false,
    availabilityZone: "NoPreference",
  };
  if (!system) {
    properties.licenseType = "LicenseIncluded";
    properties.maxLogSizeBytes = 193273528320;
    properties.earliestRestoreDate = "2024-10-01T00:00:00Z";
  }
  if (opts.geoSecondaryOf) {
    properties.secondaryType = "Geo";
    properties.sourceDatabaseId = opts.geoSecondaryOf;
  }
  return {
    sku: opts.sku,
    kind: opts.kind ?? (system ? "v12.0,system" : "v12.0,user,vcore"),
    properties,
    location: opts.location,
    id,
    name,
    type: "Microsoft.Sql/servers/databases",
  };
}

/** An auto-failover group on the primary server (child entry `Microsoft.Sql/servers/failoverGroups`). */
export function sqlFailoverGroup(
  serverId: string,
  name: string,
  opts: { location: string; partnerServerId: string; partnerLocation: string; databaseIds: string[] },
): ArmResource {
  return {
    properties: {
      readWriteEndpoint: { failoverPolicy: "Automatic", failoverWithDataLossGracePeriodMinutes: 60 },
      readOnlyEndpoint: { failoverPolicy: "Disabled" },
      replicationRole: "Primary",
      replicationState: "CATCH_UP",
      partnerServers: [{ id: opts.partnerServerId, location: opts.partnerLocation, replicationRole: "Secondary" }],
      databases: opts.databaseIds,
      secondaryType: "Geo",
    },
    location: opts.location,
    tags: {},
    id: childId(serverId, "failoverGroups", name),
    name,
    type: "Microsoft.Sql/servers/failoverGroups",
  };
}

/** The id of storage account `name`. */
export function storageAccountId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Storage", "storageAccounts", name);
}

/** A StorageV2 account; geo-redundant SKUs also get their secondary region and endpoints. */
export function storageAccount(
  at: Placement,
  opts: {
    sku: "Standard_LRS" | "Standard_ZRS" | "Standard_GRS" | "Standard_RAGRS";
    secondaryLocation?: string;
    privateEndpointConnections?: Record<string, unknown>[];
  },
): ArmResource {
  const id = storageAccountId(at.sub, at.rg, at.name);
  const endpoints = (suffix: string): Record<string, string> => ({
    dfs: `https://${at.name}${suffix}.dfs.core.windows.net/`,
    web: `https://${at.name}${suffix}.z6.web.core.windows.net/`,
    blob: `https://${at.name}${suffix}.blob.core.windows.net/`,
    queue: `https://${at.name}${suffix}.queue.core.windows.net/`,
    table: `https://${at.name}${suffix}.table.core.windows.net/`,
    file: `https://${at.name}${suffix}.file.core.windows.net/`,
  });
  const geo = opts.sku === "Standard_GRS" || opts.sku === "Standard_RAGRS";
  const pecs = opts.privateEndpointConnections ?? [];
  const properties: Record<string, unknown> = {
    dnsEndpointType: "Standard",
    defaultToOAuthAuthentication: true,
    publicNetworkAccess: pecs.length ? "Disabled" : "Enabled",
    keyCreationTime: { key1: "2024-02-20T11:02:37.9954127Z", key2: "2024-02-20T11:02:37.9954127Z" },
    allowCrossTenantReplication: false,
    privateEndpointConnections: pecs,
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: false,
    isHnsEnabled: false,
    networkAcls: {
      ipv6Rules: [],
      bypass: "AzureServices",
      virtualNetworkRules: [],
      ipRules: [],
      defaultAction: pecs.length ? "Deny" : "Allow",
    },
    supportsHttpsTrafficOnly: true,
    encryption: {
      requireInfrastructureEncryption: false,
      services: {
        file: { keyType: "Account", enabled: true, lastEnabledTime: "2024-02-20T11:02:38.1204133Z" },
        blob: { keyType: "Account", enabled: true, lastEnabledTime: "2024-02-20T11:02:38.1204133Z" },
      },
      keySource: "Microsoft.Storage",
    },
    accessTier: "Hot",
    provisioningState: "Succeeded",
    creationTime: "2024-02-20T11:02:37.8235372Z",
    primaryEndpoints: endpoints(""),
    primaryLocation: at.location,
    statusOfPrimary: "available",
  };
  if (geo) {
    properties.secondaryLocation = opts.secondaryLocation;
    properties.statusOfSecondary = "available";
    if (opts.sku === "Standard_RAGRS") {
      const { dfs, web, blob, queue, table } = endpoints("-secondary");
      properties.secondaryEndpoints = { dfs, web, blob, queue, table };
    }
  }
  return {
    sku: { name: opts.sku, tier: "Standard" },
    kind: "StorageV2",
    id,
    name: at.name,
    type: "Microsoft.Storage/storageAccounts",
    location: at.location,
    tags: at.tags ?? {},
    properties,
  };
}

/** The id of Key Vault `name`. */
export function keyVaultId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.KeyVault", "vaults", name);
}

/** The data-plane URI of Key Vault `name` (with trailing slash, as ARM returns it). */
export function keyVaultUri(name: string): string {
  return `https://${name}.vault.azure.net/`;
}

/** An RBAC-mode Key Vault with purge protection. */
export function keyVault(
  at: Placement,
  opts: { enabledForDiskEncryption: boolean; privateEndpointConnections: Record<string, unknown>[] },
): ArmResource {
  const pecs = opts.privateEndpointConnections;
  return {
    id: keyVaultId(at.sub, at.rg, at.name),
    name: at.name,
    type: "Microsoft.KeyVault/vaults",
    location: at.location,
    tags: at.tags ?? {},
    systemData: {
      createdBy: "platform-pipeline@contoso.com",
      createdByType: "User",
      createdAt: "2024-02-19T15:44:08.317Z",
      lastModifiedBy: "platform-pipeline@contoso.com",
      lastModifiedByType: "User",
      lastModifiedAt: "2024-09-30T10:02:51.119Z",
    },
    properties: {
      sku: { family: "A", name: "standard" },
      tenantId: TENANT_ID,
      networkAcls: { bypass: "AzureServices", defaultAction: pecs.length ? "Deny" : "Allow", ipRules: [], virtualNetworkRules: [] },
      accessPolicies: [],
      enabledForDeployment: false,
      enabledForDiskEncryption: opts.enabledForDiskEncryption,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
      vaultUri: keyVaultUri(at.name),
      provisioningState: "Succeeded",
      publicNetworkAccess: pecs.length ? "Disabled" : "Enabled",
      ...(pecs.length ? { privateEndpointConnections: pecs } : {}),
    },
  };
}

/** A Cosmos DB (NoSQL) account in one or more regions; the first region is the write region. */
export function cosmosAccount(at: Placement, regions: { location: string; zoneRedundant: boolean }[]): ArmResource {
  const id = resourceId(at.sub, at.rg, "Microsoft.DocumentDB", "databaseAccounts", at.name);
  const locations = regions.map((r, i) => ({
    id: `${at.name}-${r.location}`,
    locationName: displayLocation(r.location),
    documentEndpoint: `https://${at.name}-${r.location}.documents.azure.com:443/`,
    provisioningState: "Succeeded",
    failoverPriority: i,
    isZoneRedundant: r.zoneRedundant,
  }));
  return {
    id,
    name: at.name,
    location: displayLocation(at.location),
    type: "Microsoft.DocumentDB/databaseAccounts",
    kind: "GlobalDocumentDB",
    tags: at.tags ?? {},
    systemData: { createdAt: "2024-02-22T09:30:11.0411472Z" },
    properties: {
      provisioningState: "Succeeded",
      documentEndpoint: `https://${at.name}.documents.azure.com:443/`,
      publicNetworkAccess: "Enabled",
      enableAutomaticFailover: regions.length > 1,
      enableMultipleWriteLocations: false,
      enablePartitionKeyMonitor: false,
      isVirtualNetworkFilterEnabled: false,
      virtualNetworkRules: [],
      EnabledApiTypes: "Sql",
      disableKeyBasedMetadataWriteAccess: true,
      enableFreeTier: false,
      enableAnalyticalStorage: false,
      analyticalStorageConfiguration: { schemaType: "WellDefined" },
      instanceId: guidFrom(`instance:${id}`),
      createMode: "Default",
      databaseAccountOfferType: "Standard",
      defaultIdentity: "FirstPartyIdentity",
      networkAclBypass: "None",
      disableLocalAuth: true,
      enablePartitionMerge: false,
      enableBurstCapacity: false,
      minimalTlsVersion: "Tls12",
      consistencyPolicy: { defaultConsistencyLevel: "Session", maxIntervalInSeconds: 5, maxStalenessPrefix: 100 },
      configurationOverrides: {},
      writeLocations: locations.slice(0, 1),
      readLocations: locations,
      locations,
      failoverPolicies: locations.map((l) => ({ id: l.id, locationName: l.locationName, failoverPriority: l.failoverPriority })),
      cors: [],
      capabilities: [],
      ipRules: [],
      backupPolicy: {
        type: "Periodic",
        periodicModeProperties: { backupIntervalInMinutes: 240, backupRetentionIntervalInHours: 8, backupStorageRedundancy: "Geo" },
      },
      networkAclBypassResourceIds: [],
      keysMetadata: {
        primaryMasterKey: { generationTime: "2024-02-22T09:30:11Z" },
        secondaryMasterKey: { generationTime: "2024-02-22T09:30:11Z" },
        primaryReadonlyMasterKey: { generationTime: "2024-02-22T09:30:11Z" },
        secondaryReadonlyMasterKey: { generationTime: "2024-02-22T09:30:11Z" },
      },
    },
    identity: { type: "None" },
  };
}

/** The id of Redis cache `name` (the RP spells the type `Redis`). */
export function redisId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Cache", "Redis", name);
}

/** A Premium Redis cache; `linkedCache` names its geo-replication partner. */
export function redisCache(at: Placement, opts: { zones: string[]; linkedCache: string; role: "Primary" | "Secondary" }): ArmResource {
  const id = redisId(at.sub, at.rg, at.name);
  return {
    id,
    location: displayLocation(at.location),
    name: at.name,
    type: "Microsoft.Cache/Redis",
    tags: at.tags ?? {},
    zones: opts.zones,
    properties: {
      provisioningState: "Succeeded",
      redisVersion: "6.0.14",
      sku: { name: "Premium", family: "P", capacity: 1 },
      enableNonSslPort: false,
      replicasPerMaster: 1,
      replicasPerPrimary: 1,
      updateChannel: "Stable",
      zonalAllocationPolicy: "UserDefined",
      redisConfiguration: {
        "aad-enabled": "true",
        maxclients: "7500",
        "maxmemory-reserved": "125",
        "maxfragmentationmemory-reserved": "125",
        "maxmemory-delta": "125",
      },
      accessKeys: null,
      hostName: `${at.name}.redis.cache.windows.net`,
      port: 6379,
      sslPort: 6380,
      minimumTlsVersion: "1.2",
      // Geo-replication: the link is a child of this cache, named after the partner.
      linkedServers: [{ id: childId(id, "linkedServers", opts.linkedCache) }],
      instances: [
        { sslPort: 15000, nonSslPort: 13000, zone: opts.zones[0], isMaster: opts.role === "Primary", isPrimary: opts.role === "Primary" },
        { sslPort: 15001, nonSslPort: 13001, zone: opts.zones[1], isMaster: false, isPrimary: false },
      ],
      publicNetworkAccess: "Enabled",
      privateEndpointConnections: [],
    },
  };
}

/** The id of Service Bus namespace `name` (spelled `Namespaces` as the RP returns it). */
export function serviceBusId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.ServiceBus", "namespaces", name);
}

/** A Premium, zone-redundant Service Bus namespace. */
export function serviceBusNamespace(at: Placement): ArmResource {
  return {
    sku: { name: "Premium", tier: "Premium", capacity: 1 },
    id: serviceBusId(at.sub, at.rg, at.name),
    name: at.name,
    type: "Microsoft.ServiceBus/Namespaces",
    location: displayLocation(at.location),
    tags: at.tags ?? {},
    properties: {
      premiumMessagingPartitions: 1,
      minimumTlsVersion: "1.2",
      publicNetworkAccess: "Enabled",
      disableLocalAuth: true,
      zoneRedundant: true,
      privateEndpointConnections: [],
      provisioningState: "Succeeded",
      metricId: `${at.sub}:${at.name}`,
      createdAt: "2024-02-21T12:40:06.193Z",
      updatedAt: "2024-02-21T12:41:12.473Z",
      serviceBusEndpoint: `https://${at.name}.servicebus.windows.net:443/`,
      status: "Active",
    },
  };
}

/** A queue of a Service Bus namespace (child entry). */
export function serviceBusQueue(namespaceId: string, name: string, location: string, opts: { sessions: boolean }): ArmResource {
  return {
    id: childId(namespaceId, "queues", name),
    name,
    type: "Microsoft.ServiceBus/Namespaces/Queues",
    location: displayLocation(location),
    properties: {
      maxMessageSizeInKilobytes: 1024,
      lockDuration: "PT1M",
      maxSizeInMegabytes: 81920,
      requiresDuplicateDetection: true,
      requiresSession: opts.sessions,
      defaultMessageTimeToLive: "P14D",
      deadLetteringOnMessageExpiration: true,
      enableBatchedOperations: true,
      duplicateDetectionHistoryTimeWindow: "PT10M",
      maxDeliveryCount: 10,
      sizeInBytes: 0,
      messageCount: 0,
      status: "Active",
      autoDeleteOnIdle: "P10675199DT2H48M5.4775807S",
      enablePartitioning: false,
      enableExpress: false,
      countDetails: {
        activeMessageCount: 0,
        deadLetterMessageCount: 0,
        scheduledMessageCount: 0,
        transferMessageCount: 0,
        transferDeadLetterMessageCount: 0,
      },
      createdAt: "2024-02-21T12:44:31.32Z",
      updatedAt: "2024-02-21T12:44:31.32Z",
      accessedAt: "2024-10-02T14:00:07.0175894Z",
    },
  };
}

/**
 * The id of Log Analytics workspace `name`, spelled as the RP returns it in the workspace's own
 * payload: `resourcegroups` and a lower-cased provider.
 */
export function workspaceId(sub: string, rg: string, name: string): string {
  return lowerProviderPath(lowerResourceGroupsSegment(resourceId(sub, rg, "Microsoft.OperationalInsights", "workspaces", name)));
}

/** A PerGB2018 Log Analytics workspace. */
export function logAnalyticsWorkspace(at: Placement, retentionInDays: number): ArmResource {
  const id = workspaceId(at.sub, at.rg, at.name);
  return {
    properties: {
      customerId: guidFrom(`customer:${id}`),
      provisioningState: "Succeeded",
      sku: { name: "PerGB2018", lastSkuUpdate: "2024-02-19T15:20:44.0931429Z" },
      retentionInDays,
      features: { legacy: 0, searchVersion: 1, enableLogAccessUsingOnlyResourcePermissions: true },
      workspaceCapping: { dailyQuotaGb: -1.0, quotaNextResetTime: "2024-10-03T06:00:00Z", dataIngestionStatus: "RespectQuota" },
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      createdDate: "2024-02-19T15:20:44.0931429Z",
      modifiedDate: "2024-09-12T08:11:30.5271107Z",
    },
    id,
    name: at.name,
    type: "Microsoft.OperationalInsights/workspaces",
    location: at.location,
    tags: at.tags ?? {},
    etag: `"${guidFrom(`etag:${id}`)}"`,
  };
}
