/**
 * Builds the sample estate (tools/estates/sample.json) from the resource builders in ./sample/.
 * Run `npx tsx tools/estates/build-sample.ts` after changing anything here; a test checks that the
 * committed file is byte-identical to what this writes. docs/sample-estate.md describes the estate
 * and test/fixtures/sample-estate.edges.json lists the dependency edges it implies: a change to a
 * reference here needs the matching change there.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

import {
  applicationGateway,
  applicationGatewayId,
  loadBalancer,
  loadBalancerFrontendId,
  loadBalancerId,
  loadBalancerPoolId,
  wafPolicy,
  wafPolicyId,
} from "./sample/balancers.js";
import {
  aksNodePoolScaleSet,
  availabilitySet,
  availabilitySetId,
  containerRegistry,
  diskId,
  identityIdsOf,
  managedCluster,
  managedClusterId,
  managedDisk,
  registryId,
  scaleSetId,
  scaleSetInstanceIpConfigId,
  systemAssignedIdentity,
  userAssignedIdentity,
  userAssignedIdentityBlock,
  userAssignedIdentityId,
  virtualMachine,
  virtualMachineId,
} from "./sample/compute.js";
import {
  cosmosAccount,
  keyVault,
  keyVaultId,
  keyVaultUri,
  logAnalyticsWorkspace,
  redisCache,
  serviceBusId,
  serviceBusNamespace,
  serviceBusQueue,
  sqlDatabase,
  sqlDatabaseId,
  sqlFailoverGroup,
  sqlServer,
  sqlServerId,
  storageAccount,
  storageAccountId,
  workspaceId,
} from "./sample/data.js";
import { childId, guidFrom, resourceId, SUB_CORP, SUB_PLATFORM, SUB_PROD, upperResourceGroup } from "./sample/ids.js";
import {
  networkInterface,
  networkSecurityGroup,
  networkWatcher,
  nicId,
  nicIpConfigId,
  nsgId,
  type Placement,
  privateDnsZone,
  privateDnsZoneId,
  privateDnsZoneLink,
  privateEndpoint,
  privateEndpointConnection,
  privateEndpointId,
  publicIpAddress,
  publicIpId,
  routeTable,
  routeTableId,
  type SecurityRuleSpec,
  subnet,
  subnetId,
  virtualNetwork,
} from "./sample/network.js";
import {
  actionGroup,
  actionGroupId,
  applicationInsights,
  appServicePlan,
  dashboard,
  defaultHostName,
  metricAlert,
  planId,
  site,
  siteId,
} from "./sample/web.js";
import type { ArmResource, Estate } from "./schema.js";

const WEU = "westeurope";
const NEU = "northeurope";
const NET = "Microsoft.Network";
const PROD_TAGS = { env: "prod", owner: "platform-team", costCenter: "CC-4471" };
const CORP_TAGS = { env: "prod", owner: "corp-it", costCenter: "CC-2210" };

// Resource groups.
const RG_NET = "rg-network-prod";
const RG_WEB = "rg-web-prod";
const RG_DATA = "rg-data-prod";
const RG_DR = "rg-data-dr-neu";
const RG_AKS = "rg-aks-prod";
const RG_AKS_NODES = "MC_rg-aks-prod_aks-prod-weu_westeurope";
const RG_MON = "rg-monitor-prod";
const RG_WATCHER = "NetworkWatcherRG";
const RG_CORP_NET = "rg-corp-network";
const RG_CORP_VM = "rg-corp-vm";
const RG_CORP_APPS = "rg-corp-apps";

const prod = (rg: string, name: string, location = WEU): Placement => ({ sub: SUB_PROD, rg, name, location, tags: PROD_TAGS });
const corp = (rg: string, name: string, location = NEU): Placement => ({ sub: SUB_CORP, rg, name, location, tags: CORP_TAGS });
/** `Microsoft.network` instead of `Microsoft.Network`, as some references spell it. */
const lastSegment = (value: string): string => value.slice(value.lastIndexOf("/") + 1);
const lowerNetworkNamespace = (id: string): string => id.replace("/providers/Microsoft.Network/", "/providers/Microsoft.network/");

// ---------------------------------------------------------------------------------------------
// Ids, named once so every reference and back-reference below points at the same thing.
// ---------------------------------------------------------------------------------------------
const id = {
  vnetProd: resourceId(SUB_PROD, RG_NET, NET, "virtualNetworks", "vnet-prod-weu"),
  nsgAppgw: nsgId(SUB_PROD, RG_NET, "nsg-appgw-prod-weu"),
  nsgWebIntegration: nsgId(SUB_PROD, RG_NET, "nsg-web-integration-prod-weu"),
  nsgPrivateEndpoints: nsgId(SUB_PROD, RG_NET, "nsg-privateendpoints-prod-weu"),
  nsgAks: nsgId(SUB_PROD, RG_NET, "nsg-aks-nodes-prod-weu"),
  routeTable: routeTableId(SUB_PROD, RG_NET, "rt-prod-egress-weu"),
  appgw: applicationGatewayId(SUB_PROD, RG_NET, "agw-prod-weu"),
  pipAppgw: publicIpId(SUB_PROD, RG_NET, "pip-agw-prod-weu"),
  waf: wafPolicyId(SUB_PROD, RG_NET, "waf-agw-prod-weu"),
  idAppgw: userAssignedIdentityId(SUB_PROD, RG_NET, "id-agw-prod-weu"),
  plan: planId(SUB_PROD, RG_WEB, "asp-web-prod-weu"),
  appWeb: siteId(SUB_PROD, RG_WEB, "app-web-prod-weu"),
  appApi: siteId(SUB_PROD, RG_WEB, "app-api-prod-weu"),
  funcOrders: siteId(SUB_PROD, RG_WEB, "func-orders-prod-weu"),
  serviceBus: serviceBusId(SUB_PROD, RG_WEB, "sb-orders-prod-weu"),
  actionGroup: actionGroupId(SUB_PROD, RG_MON, "ag-web-oncall"),
  sqlPrimary: sqlServerId(SUB_PROD, RG_DATA, "sql-prod-weu"),
  sqlSecondary: sqlServerId(SUB_PROD, RG_DR, "sql-prod-neu"),
  keyVault: keyVaultId(SUB_PROD, RG_DATA, "kv-contoso-prod-weu"),
  storageWeb: storageAccountId(SUB_PROD, RG_DATA, "stcontosowebprodweu"),
  storageData: storageAccountId(SUB_PROD, RG_DATA, "stcontosodataprodweu"),
  storageDiag: storageAccountId(SUB_PROD, RG_MON, "stcontosodiagprodweu"),
  peSql: privateEndpointId(SUB_PROD, RG_DATA, "pe-sql-prod-weu"),
  peKeyVault: privateEndpointId(SUB_PROD, RG_DATA, "pe-kv-prod-weu"),
  peBlob: privateEndpointId(SUB_PROD, RG_DATA, "pe-stdata-blob-prod-weu"),
  peAcr: privateEndpointId(SUB_PROD, RG_AKS, "pe-acr-prod-weu"),
  aks: managedClusterId(SUB_PROD, RG_AKS, "aks-prod-weu"),
  acr: registryId(SUB_PROD, RG_AKS, "crcontosoprodweu"),
  idWorkload: userAssignedIdentityId(SUB_PROD, RG_AKS, "id-workload-prod-weu"),
  idKubelet: userAssignedIdentityId(SUB_PROD, RG_AKS_NODES, "aks-prod-weu-agentpool"),
  idSecretsProvider: userAssignedIdentityId(SUB_PROD, RG_AKS_NODES, "azurekeyvaultsecretsprovider-aks-prod-weu"),
  lbKubernetes: loadBalancerId(SUB_PROD, RG_AKS_NODES, "kubernetes"),
  pipAksOutbound: publicIpId(SUB_PROD, RG_AKS_NODES, guidFrom("aks-outbound-ip")),
  nsgAgentPool: nsgId(SUB_PROD, RG_AKS_NODES, "aks-agentpool-31415926-nsg"),
  vmssSystem: scaleSetId(SUB_PROD, RG_AKS_NODES, "aks-system-31415926-vmss"),
  vmssUser: scaleSetId(SUB_PROD, RG_AKS_NODES, "aks-user-31415926-vmss"),
  workspace: workspaceId(SUB_PROD, RG_MON, "law-prod-weu"),
  externalWorkspace: workspaceId(SUB_PLATFORM, "rg-platform-logging", "law-platform-central"),
  vnetCorp: resourceId(SUB_CORP, RG_CORP_NET, NET, "virtualNetworks", "vnet-corp-neu"),
  nsgVm: nsgId(SUB_CORP, RG_CORP_NET, "nsg-vm-corp-neu"),
  nsgJump: nsgId(SUB_CORP, RG_CORP_NET, "nsg-jump-corp-neu"),
  lbIntranet: loadBalancerId(SUB_CORP, RG_CORP_NET, "lb-intranet-corp-neu"),
  pipIntranet: publicIpId(SUB_CORP, RG_CORP_NET, "pip-lb-intranet-corp-neu"),
  lbReports: loadBalancerId(SUB_CORP, RG_CORP_NET, "lb-reports-corp-neu"),
  pipReports: publicIpId(SUB_CORP, RG_CORP_NET, "pip-lb-reports-corp-neu"),
  pipJump: publicIpId(SUB_CORP, RG_CORP_VM, "pip-vm-jump-01"),
  availabilitySet: availabilitySetId(SUB_CORP, RG_CORP_VM, "avset-intranet-corp"),
  keyVaultCorp: keyVaultId(SUB_CORP, RG_CORP_VM, "kv-corp-ade-neu"),
  storageBoot: storageAccountId(SUB_CORP, RG_CORP_VM, "stcorpbootdiagneu"),
  planCorp: planId(SUB_CORP, RG_CORP_APPS, "asp-corp-neu"),
  appIntranet: siteId(SUB_CORP, RG_CORP_APPS, "app-intranet-corp"),
};

const snet = {
  appgw: subnetId(id.vnetProd, "snet-appgw"),
  webIntegration: subnetId(id.vnetProd, "snet-web-integration"),
  privateEndpoints: subnetId(id.vnetProd, "snet-privateendpoints"),
  aks: subnetId(id.vnetProd, "snet-aks-nodes"),
  vm: subnetId(id.vnetCorp, "snet-vm"),
  jump: subnetId(id.vnetCorp, "snet-jump"),
  appIntegration: subnetId(id.vnetCorp, "snet-app-integration"),
};

/** The private endpoints of the production estate, each with its NIC and target. */
const endpoints = [
  {
    pe: id.peSql,
    rg: RG_DATA,
    target: id.sqlPrimary,
    group: "sqlServer",
    fqdns: ["sql-prod-weu.database.windows.net"],
    ips: ["10.20.2.4"],
    zone: "privatelink.database.windows.net",
  },
  {
    pe: id.peKeyVault,
    rg: RG_DATA,
    target: id.keyVault,
    group: "vault",
    fqdns: ["kv-contoso-prod-weu.vault.azure.net"],
    ips: ["10.20.2.5"],
    zone: "privatelink.vaultcore.azure.net",
  },
  {
    pe: id.peBlob,
    rg: RG_DATA,
    target: id.storageData,
    group: "blob",
    fqdns: ["stcontosodataprodweu.blob.core.windows.net"],
    ips: ["10.20.2.6"],
    zone: "privatelink.blob.core.windows.net",
  },
  {
    pe: id.peAcr,
    rg: RG_AKS,
    target: id.acr,
    group: "registry",
    fqdns: ["crcontosoprodweu.azurecr.io", "crcontosoprodweu.westeurope.data.azurecr.io"],
    ips: ["10.20.2.7", "10.20.2.8"],
    zone: "privatelink.azurecr.io",
  },
].map((e) => {
  const peName = lastSegment(e.pe);
  const nic = nicId(SUB_PROD, e.rg, `${peName}.nic.${guidFrom(`penic:${e.pe}`)}`);
  const ipConfigs = e.fqdns.map((_f, i) => nicIpConfigId(nic, `privateEndpointIpConfig.${guidFrom(`peip:${e.pe}:${i}`)}`));
  return { ...e, peName, nic, ipConfigs };
});

/** AKS node-pool scale sets and the ipConfigurations of their instances. */
const nodePools = [
  { pool: "system", mode: "System" as const, vmss: id.vmssSystem, count: 3, vmSize: "Standard_D4ds_v5" },
  { pool: "user", mode: "User" as const, vmss: id.vmssUser, count: 4, vmSize: "Standard_D8ds_v5" },
].map((p) => ({
  ...p,
  instanceIpConfigs: Array.from({ length: p.count }, (_v, i) => scaleSetInstanceIpConfigId(p.vmss, i)),
  // The network RP lists instance NICs (not ipConfigurations) on an NSG.
  instanceNics: Array.from({ length: p.count }, (_v, i) => {
    const ipc = scaleSetInstanceIpConfigId(p.vmss, i);
    return ipc.slice(0, ipc.indexOf("/ipConfigurations/"));
  }),
}));
const aksOutboundFrontend = guidFrom("aks-outbound-frontend");

/** The corporate VMs: two intranet servers behind the load balancer and a jump host. */
const corpVms = [
  { name: "vm-intranet-01", ip: "10.40.1.4", subnet: snet.vm, zone: undefined, dataDiskGB: 256, behindLb: true, pool: "be-intranet" },
  { name: "vm-intranet-02", ip: "10.40.1.5", subnet: snet.vm, zone: undefined, dataDiskGB: 256, behindLb: true, pool: "be-intranet" },
  { name: "vm-jump-01", ip: "10.40.2.4", subnet: snet.jump, zone: "1", dataDiskGB: 0, behindLb: false, pool: undefined },
  // The only member of its balancer's pool, pinned to zone 2: the failure model's single-VM case.
  { name: "vm-reports-01", ip: "10.40.1.6", subnet: snet.vm, zone: "2", dataDiskGB: 0, behindLb: true, pool: "be-reports" },
].map((v) => {
  const vm = virtualMachineId(SUB_CORP, RG_CORP_VM, v.name);
  const nic = nicId(SUB_CORP, RG_CORP_VM, `nic-${v.name}`);
  const osDiskName = `${v.name}_OsDisk_1_${guidFrom(`os:${v.name}`).replace(/-/g, "")}`;
  return {
    ...v,
    vm,
    nic,
    ipConfig: nicIpConfigId(nic),
    osDisk: { name: osDiskName, id: diskId(SUB_CORP, RG_CORP_VM, osDiskName), sizeGB: 64 },
    dataDisks: v.dataDiskGB
      ? [{ name: `${v.name}-data-01`, id: diskId(SUB_CORP, RG_CORP_VM, `${v.name}-data-01`), sizeGB: v.dataDiskGB }]
      : [],
  };
});
const intranetVms = corpVms.filter((v) => v.pool === "be-intranet");
const pooledVms = corpVms.filter((v) => v.behindLb);
const reportsVms = corpVms.filter((v) => v.pool === "be-reports");
const jumpVm = corpVms.find((v) => !v.behindLb);

// ---------------------------------------------------------------------------------------------
// Production subscription
// ---------------------------------------------------------------------------------------------
const httpsFromInternet: SecurityRuleSpec = {
  name: "AllowHttpsInbound",
  priority: 100,
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "Internet",
  destinationPortRange: "443",
};

function prodNetwork(): ArmResource[] {
  const peIpConfigs = endpoints.flatMap((e) => e.ipConfigs);
  const subnets = [
    subnet({
      id: snet.appgw,
      addressPrefix: "10.20.0.0/24",
      networkSecurityGroupId: id.nsgAppgw,
      applicationGatewayIPConfigurations: [childId(id.appgw, "gatewayIPConfigurations", "appGatewayIpConfig")],
    }),
    subnet({
      id: snet.webIntegration,
      addressPrefix: "10.20.1.0/24",
      networkSecurityGroupId: id.nsgWebIntegration,
      routeTableId: id.routeTable,
      delegation: "Microsoft.Web/serverFarms",
      serviceAssociationLinkTo: id.plan,
    }),
    subnet({
      id: snet.privateEndpoints,
      addressPrefix: "10.20.2.0/24",
      networkSecurityGroupId: id.nsgPrivateEndpoints,
      ipConfigurations: peIpConfigs.map(upperResourceGroup),
      privateEndpoints: endpoints.map((e) => upperResourceGroup(e.pe)),
      privateEndpointNetworkPolicies: "NetworkSecurityGroupEnabled",
    }),
    subnet({
      id: snet.aks,
      addressPrefix: "10.20.16.0/20",
      networkSecurityGroupId: id.nsgAks,
      routeTableId: id.routeTable,
      ipConfigurations: nodePools.flatMap((p) => p.instanceIpConfigs).map(upperResourceGroup),
      serviceEndpoints: ["Microsoft.Storage"],
    }),
  ];
  return [
    virtualNetwork(prod(RG_NET, "vnet-prod-weu"), ["10.20.0.0/16"], subnets),
    ...subnets,
    networkSecurityGroup(
      prod(RG_NET, "nsg-appgw-prod-weu"),
      [
        httpsFromInternet,
        {
          name: "AllowGatewayManager",
          priority: 110,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "GatewayManager",
          destinationPortRange: "65200-65535",
        },
      ],
      { subnets: [upperResourceGroup(snet.appgw)] },
    ),
    networkSecurityGroup(prod(RG_NET, "nsg-web-integration-prod-weu"), [], { subnets: [upperResourceGroup(snet.webIntegration)] }),
    networkSecurityGroup(
      prod(RG_NET, "nsg-privateendpoints-prod-weu"),
      [
        {
          name: "AllowVnetHttpsAndSql",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "VirtualNetwork",
          destinationPortRange: "443,1433",
        },
      ],
      { subnets: [upperResourceGroup(snet.privateEndpoints)] },
    ),
    networkSecurityGroup(prod(RG_NET, "nsg-aks-nodes-prod-weu"), [httpsFromInternet], { subnets: [upperResourceGroup(snet.aks)] }),
    routeTable(
      prod(RG_NET, "rt-prod-egress-weu"),
      [{ name: "default-via-hub-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" }],
      [upperResourceGroup(snet.webIntegration), upperResourceGroup(snet.aks)],
    ),
    publicIpAddress(prod(RG_NET, "pip-agw-prod-weu"), {
      ipAddress: "20.103.52.17",
      domainNameLabel: "agw-contoso-prod",
      ipConfiguration: upperResourceGroup(childId(id.appgw, "frontendIPConfigurations", "appGwPublicFrontendIp")),
    }),
    userAssignedIdentity(prod(RG_NET, "id-agw-prod-weu")),
    wafPolicy(prod(RG_NET, "waf-agw-prod-weu"), [id.appgw]),
    applicationGateway(prod(RG_NET, "agw-prod-weu"), {
      zones: ["1", "2", "3"],
      identityId: resourceId(SUB_PROD, RG_NET, "Microsoft.ManagedIdentity", "userAssignedIdentities", "id-agw-prod-weu"),
      identity: identityIdsOf(id.idAppgw),
      subnetId: snet.appgw,
      publicIpId: id.pipAppgw,
      firewallPolicyId: id.waf,
      certificateSecretId: `${keyVaultUri("kv-contoso-prod-weu")}secrets/wildcard-contoso-com`,
      sites: [
        { name: "web", backendFqdn: defaultHostName("app-web-prod-weu"), hostName: "www.contoso.com" },
        { name: "api", backendFqdn: defaultHostName("app-api-prod-weu"), hostName: "api.contoso.com" },
      ],
    }),
    ...endpoints.flatMap((e) => {
      const zone = privateDnsZoneId(SUB_PROD, RG_NET, e.zone);
      return [
        privateDnsZone(prod(RG_NET, e.zone, "global"), 1 + e.fqdns.length, 1),
        privateDnsZoneLink(zone, "link-vnet-prod-weu", id.vnetProd),
      ];
    }),
  ];
}

function prodWeb(): ArmResource[] {
  const sites = [
    {
      name: "app-web-prod-weu",
      kind: "app,linux" as const,
      fx: "NODE|20-lts",
      subnet: snet.webIntegration,
      identity: systemAssignedIdentity(id.appWeb),
    },
    {
      name: "app-api-prod-weu",
      kind: "app,linux" as const,
      fx: "DOTNETCORE|8.0",
      subnet: lowerNetworkNamespace(snet.webIntegration),
      // The identity key is spelled `resourceGroups`; the identity's own id says `resourcegroups`.
      identity: userAssignedIdentityBlock(
        [resourceId(SUB_PROD, RG_AKS, "Microsoft.ManagedIdentity", "userAssignedIdentities", "id-workload-prod-weu")],
        id.appApi,
      ),
    },
    {
      name: "func-orders-prod-weu",
      kind: "functionapp,linux" as const,
      fx: "DOTNET-ISOLATED|8.0",
      subnet: snet.webIntegration,
      identity: systemAssignedIdentity(id.funcOrders),
    },
  ];
  return [
    appServicePlan(prod(RG_WEB, "asp-web-prod-weu", "West Europe"), {
      sku: { name: "P1v3", tier: "PremiumV3", family: "Pv3" },
      workers: 3,
      zoneRedundant: true,
      sites: sites.length,
    }),
    ...sites.map((s) =>
      site(prod(RG_WEB, s.name, "West Europe"), {
        kind: s.kind,
        planId: id.plan,
        planSku: "PremiumV3",
        subnetId: s.subnet,
        linuxFxVersion: s.fx,
        identity: s.identity,
        alwaysOn: true,
      }),
    ),
    applicationInsights(prod(RG_WEB, "appi-web-prod-weu"), {
      workspaceResourceId: id.workspace,
      linkedApps: [id.appWeb, id.appApi, id.funcOrders],
      profilerStorageId: id.storageDiag,
    }),
    storageAccount(prod(RG_WEB, "stfuncordersprodweu"), { sku: "Standard_LRS" }),
    redisCache(prod(RG_WEB, "redis-web-prod-weu"), { zones: ["1", "2"], linkedCache: "redis-web-prod-neu", role: "Primary" }),
    serviceBusNamespace(prod(RG_WEB, "sb-orders-prod-weu")),
    serviceBusQueue(id.serviceBus, "orders", WEU, { sessions: true }),
    serviceBusQueue(id.serviceBus, "order-events", WEU, { sessions: false }),
    metricAlert(prod(RG_WEB, "alert-app-web-prod-weu-http5xx"), {
      scope: id.appWeb,
      targetType: "Microsoft.Web/sites",
      metric: "Http5xx",
      threshold: 10,
      actionGroupIds: [id.actionGroup],
      region: WEU,
    }),
    dashboard(prod(RG_WEB, "dash-web-prod-weu"), {
      title: "Web tier (prod)",
      charts: [
        { resourceId: id.appWeb, namespace: "microsoft.web/sites", metric: "Http5xx", title: "Http Server Errors" },
        {
          resourceId: sqlDatabaseId(id.sqlPrimary, "sqldb-orders"),
          namespace: "microsoft.sql/servers/databases",
          metric: "cpu_percent",
          title: "Orders DB CPU",
        },
      ],
    }),
  ];
}

function prodData(): ArmResource[] {
  const pecType = (target: string): string => {
    const ns = target.split("/providers/")[1]?.split("/").slice(0, 2).join("/") ?? "";
    return `${ns}/privateEndpointConnections`;
  };
  const pecsOf = (target: string): Record<string, unknown>[] =>
    endpoints.filter((e) => e.target === target).map((e) => privateEndpointConnection(target, e.pe, pecType(target)));
  const userDbs = [
    {
      name: "sqldb-orders",
      sku: { name: "BC_Gen5", tier: "BusinessCritical", family: "Gen5", capacity: 4 },
      maxSizeBytes: 268435456000,
      zoneRedundant: true,
    },
    {
      name: "sqldb-catalog",
      sku: { name: "GP_Gen5", tier: "GeneralPurpose", family: "Gen5", capacity: 2 },
      maxSizeBytes: 53687091200,
      zoneRedundant: false,
    },
  ];
  const master = { location: WEU, sku: { name: "System", tier: "System", capacity: 0 }, maxSizeBytes: 32212254720, zoneRedundant: false };
  return [
    sqlServer(prod(RG_DATA, "sql-prod-weu"), pecsOf(id.sqlPrimary)),
    ...userDbs.map((d) => sqlDatabase(id.sqlPrimary, d.name, { ...d, location: WEU, secondaryLocation: "northeurope" })),
    sqlDatabase(id.sqlPrimary, "master", { ...master, secondaryLocation: "northeurope" }),
    sqlFailoverGroup(id.sqlPrimary, "fog-contoso-prod", {
      location: "West Europe",
      partnerServerId: id.sqlSecondary,
      partnerLocation: "North Europe",
      databaseIds: userDbs.map((d) => sqlDatabaseId(id.sqlPrimary, d.name)),
    }),
    keyVault(prod(RG_DATA, "kv-contoso-prod-weu"), { enabledForDiskEncryption: false, privateEndpointConnections: pecsOf(id.keyVault) }),
    storageAccount(prod(RG_DATA, "stcontosowebprodweu"), { sku: "Standard_ZRS" }),
    storageAccount(prod(RG_DATA, "stcontosodataprodweu"), {
      sku: "Standard_RAGRS",
      secondaryLocation: NEU,
      privateEndpointConnections: pecsOf(id.storageData),
    }),
    cosmosAccount(prod(RG_DATA, "cosmos-catalog-prod-weu"), [{ location: WEU, zoneRedundant: true }]),
    cosmosAccount(prod(RG_DATA, "cosmos-sessions-prod"), [
      { location: WEU, zoneRedundant: true },
      { location: NEU, zoneRedundant: false },
    ]),
    ...privateEndpointsWithNics(RG_DATA),
  ];
}

/** The private endpoints in `rg` and the NICs the network RP created for them. */
function privateEndpointsWithNics(rg: string): ArmResource[] {
  return endpoints
    .filter((e) => e.rg === rg)
    .flatMap((e) => [
      privateEndpoint(prod(rg, e.peName), {
        subnetId: snet.privateEndpoints,
        targetId: e.target,
        groupId: e.group,
        nicId: e.nic,
        customDns: e.fqdns.map((fqdn, i) => ({ fqdn, ip: e.ips[i] ?? "" })),
      }),
      networkInterface(prod(rg, lastSegment(e.nic)), {
        ipConfigurations: e.fqdns.map((fqdn, i) => ({
          name: lastSegment(e.ipConfigs[i] ?? "ipconfig1"),
          privateIPAddress: e.ips[i] ?? "",
          subnetId: snet.privateEndpoints,
          privateLinkConnection: { groupId: e.group, requiredMemberName: i === 0 ? e.group : `${e.group}_data_${WEU}`, fqdns: [fqdn] },
        })),
        privateEndpoint: e.pe,
      }),
    ]);
}

function prodDisasterRecovery(): ArmResource[] {
  const at = (name: string): Placement => prod(RG_DR, name, NEU);
  return [
    sqlServer(at("sql-prod-neu"), []),
    ...["sqldb-orders", "sqldb-catalog"].map((name, i) =>
      sqlDatabase(id.sqlSecondary, name, {
        location: NEU,
        sku:
          i === 0
            ? { name: "BC_Gen5", tier: "BusinessCritical", family: "Gen5", capacity: 4 }
            : { name: "GP_Gen5", tier: "GeneralPurpose", family: "Gen5", capacity: 2 },
        maxSizeBytes: i === 0 ? 268435456000 : 53687091200,
        zoneRedundant: false,
        secondaryLocation: "westeurope",
        geoSecondaryOf: sqlDatabaseId(id.sqlPrimary, name),
      }),
    ),
    sqlDatabase(id.sqlSecondary, "master", {
      location: NEU,
      sku: { name: "System", tier: "System", capacity: 0 },
      maxSizeBytes: 32212254720,
      zoneRedundant: false,
      secondaryLocation: "westeurope",
    }),
    redisCache(at("redis-web-prod-neu"), { zones: ["1", "2"], linkedCache: "redis-web-prod-weu", role: "Secondary" }),
  ];
}

function prodAks(): ArmResource[] {
  const aksSubnetAsConfigured = upperResourceGroup(snet.aks);
  const kubernetesPools = [
    loadBalancerPoolId(id.lbKubernetes, "aksOutboundBackendPool"),
    loadBalancerPoolId(id.lbKubernetes, "kubernetes"),
  ];
  const allInstances = nodePools.flatMap((p) => p.instanceIpConfigs);
  const nodes = (name: string): Placement => ({
    sub: SUB_PROD,
    rg: RG_AKS_NODES,
    name,
    location: WEU,
    tags: { "aks-managed-cluster-name": "aks-prod-weu", "aks-managed-cluster-rg": RG_AKS },
  });
  return [
    managedCluster(prod(RG_AKS, "aks-prod-weu"), {
      controlPlaneIdentityId: resourceId(SUB_PROD, RG_AKS, "Microsoft.ManagedIdentity", "userAssignedIdentities", "id-workload-prod-weu"),
      kubeletIdentityId: resourceId(
        SUB_PROD,
        RG_AKS_NODES,
        "Microsoft.ManagedIdentity",
        "userAssignedIdentities",
        "aks-prod-weu-agentpool",
      ),
      secretsProviderIdentityId: resourceId(
        SUB_PROD,
        RG_AKS_NODES,
        "Microsoft.ManagedIdentity",
        "userAssignedIdentities",
        "azurekeyvaultsecretsprovider-aks-prod-weu",
      ),
      nodeResourceGroup: RG_AKS_NODES,
      pools: nodePools.map((p) => ({ name: p.pool, mode: p.mode, count: p.count, vmSize: p.vmSize, subnetId: aksSubnetAsConfigured })),
      outboundIpId: id.pipAksOutbound,
      keyVaultId: id.keyVault,
      keyVaultKeyId: `${keyVaultUri("kv-contoso-prod-weu")}keys/aks-kms/${guidFrom("aks-kms-version").replace(/-/g, "")}`,
      logAnalyticsWorkspaceId: id.externalWorkspace,
    }),
    containerRegistry(prod(RG_AKS, "crcontosoprodweu"), [
      privateEndpointConnection(id.acr, id.peAcr, "Microsoft.ContainerRegistry/registries/privateEndpointConnections"),
    ]),
    userAssignedIdentity(prod(RG_AKS, "id-workload-prod-weu")),
    ...privateEndpointsWithNics(RG_AKS),
    // The node resource group AKS manages.
    userAssignedIdentity(nodes("aks-prod-weu-agentpool")),
    userAssignedIdentity(nodes("azurekeyvaultsecretsprovider-aks-prod-weu")),
    publicIpAddress(nodes(lastSegment(id.pipAksOutbound)), {
      ipAddress: "20.103.88.140",
      ipConfiguration: upperResourceGroup(childId(id.lbKubernetes, "frontendIPConfigurations", aksOutboundFrontend)),
    }),
    loadBalancer(nodes("kubernetes"), {
      frontends: [{ name: aksOutboundFrontend, publicIpId: id.pipAksOutbound }],
      pools: [
        { name: "aksOutboundBackendPool", members: allInstances.map(upperResourceGroup) },
        { name: "kubernetes", members: allInstances.map(upperResourceGroup) },
      ],
      rules: [],
      probes: [],
      outboundRules: [
        { name: "aksOutboundRule", frontends: [aksOutboundFrontend], pool: "aksOutboundBackendPool", allocatedOutboundPorts: 0 },
      ],
    }),
    networkSecurityGroup(nodes("aks-agentpool-31415926-nsg"), [], {
      networkInterfaces: nodePools.flatMap((p) => p.instanceNics).map(upperResourceGroup),
    }),
    ...nodePools.map((p) =>
      aksNodePoolScaleSet(nodes(lastSegment(p.vmss)), {
        pool: p.pool,
        cluster: { name: "aks-prod-weu", rg: RG_AKS },
        vmSize: p.vmSize,
        capacity: p.count,
        zones: ["1", "2", "3"],
        identityIds: [
          resourceId(SUB_PROD, RG_AKS_NODES, "Microsoft.ManagedIdentity", "userAssignedIdentities", "aks-prod-weu-agentpool"),
          resourceId(
            SUB_PROD,
            RG_AKS_NODES,
            "Microsoft.ManagedIdentity",
            "userAssignedIdentities",
            "azurekeyvaultsecretsprovider-aks-prod-weu",
          ),
        ],
        subnetId: aksSubnetAsConfigured,
        networkSecurityGroupId: id.nsgAgentPool,
        loadBalancerPools: kubernetesPools,
      }),
    ),
  ];
}

function prodMonitoring(): ArmResource[] {
  return [
    logAnalyticsWorkspace(prod(RG_MON, "law-prod-weu"), 90),
    storageAccount(prod(RG_MON, "stcontosodiagprodweu"), { sku: "Standard_LRS" }),
    actionGroup(prod(RG_MON, "ag-web-oncall"), "weboncall", ["web-oncall@contoso.com", "platform-team@contoso.com"]),
    networkWatcher({ sub: SUB_PROD, rg: RG_WATCHER, name: "NetworkWatcher_westeurope", location: WEU }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Corporate subscription
// ---------------------------------------------------------------------------------------------
function corpNetwork(): ArmResource[] {
  const subnets = [
    subnet({
      id: snet.vm,
      addressPrefix: "10.40.1.0/24",
      networkSecurityGroupId: id.nsgVm,
      ipConfigurations: pooledVms.map((v) => upperResourceGroup(v.ipConfig)),
    }),
    subnet({ id: snet.jump, addressPrefix: "10.40.2.0/27", ipConfigurations: jumpVm ? [upperResourceGroup(jumpVm.ipConfig)] : [] }),
    subnet({
      id: snet.appIntegration,
      addressPrefix: "10.40.3.0/26",
      delegation: "Microsoft.Web/serverFarms",
      serviceAssociationLinkTo: id.planCorp,
    }),
  ];
  return [
    virtualNetwork(corp(RG_CORP_NET, "vnet-corp-neu"), ["10.40.0.0/16"], subnets),
    ...subnets,
    networkSecurityGroup(
      corp(RG_CORP_NET, "nsg-vm-corp-neu"),
      [
        {
          name: "AllowHttpsFromLoadBalancer",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "Internet",
          destinationPortRange: "443",
        },
      ],
      { subnets: [upperResourceGroup(snet.vm)] },
    ),
    networkSecurityGroup(
      corp(RG_CORP_NET, "nsg-jump-corp-neu"),
      [
        {
          name: "AllowSshFromOffice",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "203.0.113.0/24",
          destinationPortRange: "22",
        },
      ],
      { networkInterfaces: jumpVm ? [upperResourceGroup(jumpVm.nic)] : [] },
    ),
    publicIpAddress(corp(RG_CORP_NET, "pip-lb-intranet-corp-neu"), {
      ipAddress: "40.113.74.21",
      domainNameLabel: "intranet-contoso",
      ipConfiguration: upperResourceGroup(loadBalancerFrontendId(id.lbIntranet, "fe-intranet")),
    }),
    loadBalancer(corp(RG_CORP_NET, "lb-intranet-corp-neu"), {
      frontends: [{ name: "fe-intranet", publicIpId: id.pipIntranet }],
      pools: [{ name: "be-intranet", members: intranetVms.map((v) => upperResourceGroup(v.ipConfig)), listAddresses: true }],
      rules: [
        {
          name: "https",
          frontend: "fe-intranet",
          pool: "be-intranet",
          probe: "https-probe",
          protocol: "Tcp",
          frontendPort: 443,
          backendPort: 443,
        },
      ],
      probes: [{ name: "https-probe", protocol: "Http", port: 80, requestPath: "/health" }],
      outboundRules: [],
    }),
    publicIpAddress(corp(RG_CORP_NET, "pip-lb-reports-corp-neu"), {
      ipAddress: "40.113.74.37",
      domainNameLabel: "reports-contoso",
      ipConfiguration: upperResourceGroup(loadBalancerFrontendId(id.lbReports, "fe-reports")),
    }),
    loadBalancer(corp(RG_CORP_NET, "lb-reports-corp-neu"), {
      frontends: [{ name: "fe-reports", publicIpId: id.pipReports }],
      pools: [{ name: "be-reports", members: reportsVms.map((v) => upperResourceGroup(v.ipConfig)), listAddresses: true }],
      rules: [
        {
          name: "https",
          frontend: "fe-reports",
          pool: "be-reports",
          probe: "https-probe",
          protocol: "Tcp",
          frontendPort: 443,
          backendPort: 443,
        },
      ],
      probes: [{ name: "https-probe", protocol: "Http", port: 80, requestPath: "/health" }],
      outboundRules: [],
    }),
  ];
}

function corpVirtualMachines(): ArmResource[] {
  const adeVault = id.keyVaultCorp;
  const vmAt = (name: string): Placement => corp(RG_CORP_VM, name);
  // The compute RP returns availability-set members fully upper-cased.
  const upperVm = (name: string): string => virtualMachineId(SUB_CORP, RG_CORP_VM.toUpperCase(), name.toUpperCase());
  const platformImage = `/Subscriptions/${SUB_CORP}/Providers/Microsoft.Compute/Locations/northeurope/Publishers/canonical/ArtifactTypes/VMImage/Offers/0001-com-ubuntu-server-jammy/Skus/22_04-lts-gen2/Versions/22.04.202409170`;
  return [
    availabilitySet(
      vmAt("avset-intranet-corp"),
      intranetVms.map((v) => upperVm(v.name)),
    ),
    ...corpVms.flatMap((v) => [
      virtualMachine(vmAt(v.name), {
        size: v.behindLb ? "Standard_D4s_v5" : "Standard_B2s",
        ...(v.pool === "be-intranet" ? { availabilitySetId: id.availabilitySet } : {}),
        ...(v.zone ? { zone: v.zone } : {}),
        osDisk: v.osDisk,
        dataDisks: v.dataDisks,
        nicIds: [v.nic],
        bootDiagnosticsUri: "https://stcorpbootdiagneu.blob.core.windows.net/",
      }),
      networkInterface(vmAt(`nic-${v.name}`), {
        ipConfigurations: [
          {
            name: "ipconfig1",
            privateIPAddress: v.ip,
            subnetId: v.subnet,
            ...(v.pool !== undefined
              ? { loadBalancerBackendAddressPools: [loadBalancerPoolId(v.pool === "be-reports" ? id.lbReports : id.lbIntranet, v.pool)] }
              : { publicIpId: id.pipJump }),
          },
        ],
        ...(v.behindLb ? {} : { networkSecurityGroupId: id.nsgJump }),
        virtualMachine: v.vm,
        acceleratedNetworking: v.behindLb,
      }),
      managedDisk(vmAt(v.osDisk.name), {
        managedBy: upperResourceGroup(v.vm),
        sku: "Premium_LRS",
        sizeGB: v.osDisk.sizeGB,
        ...(v.zone ? { zone: v.zone } : {}),
        os: { type: "Linux", platformImageId: platformImage },
        ...(v.behindLb ? { encryptionVaultId: adeVault, encryptionVaultUri: keyVaultUri("kv-corp-ade-neu") } : {}),
      }),
      ...v.dataDisks.map((d) =>
        managedDisk(vmAt(d.name), {
          managedBy: upperResourceGroup(v.vm),
          sku: "Premium_LRS",
          sizeGB: d.sizeGB,
          encryptionVaultId: adeVault,
          encryptionVaultUri: keyVaultUri("kv-corp-ade-neu"),
        }),
      ),
    ]),
    publicIpAddress(vmAt("pip-vm-jump-01"), {
      ipAddress: "40.113.75.102",
      zones: ["1"],
      ipConfiguration: jumpVm ? upperResourceGroup(jumpVm.ipConfig) : "",
    }),
    keyVault(vmAt("kv-corp-ade-neu"), { enabledForDiskEncryption: true, privateEndpointConnections: [] }),
    storageAccount(vmAt("stcorpbootdiagneu"), { sku: "Standard_GRS", secondaryLocation: WEU }),
  ];
}

function corpApps(): ArmResource[] {
  return [
    appServicePlan(corp(RG_CORP_APPS, "asp-corp-neu", "North Europe"), {
      sku: { name: "S1", tier: "Standard", family: "S" },
      workers: 1,
      zoneRedundant: false,
      sites: 1,
    }),
    site(corp(RG_CORP_APPS, "app-intranet-corp", "North Europe"), {
      kind: "app,linux",
      planId: id.planCorp,
      planSku: "Standard",
      subnetId: snet.appIntegration,
      linuxFxVersion: "PHP|8.3",
      identity: systemAssignedIdentity(id.appIntranet),
      alwaysOn: true,
    }),
    // The one cross-subscription reference: telemetry goes to the production workspace, and
    // this payload spells its id in the usual casing, not the workspace's own lower-case form.
    applicationInsights(corp(RG_CORP_APPS, "appi-intranet-corp"), {
      workspaceResourceId: resourceId(SUB_PROD, RG_MON, "Microsoft.OperationalInsights", "workspaces", "law-prod-weu"),
      linkedApps: [id.appIntranet],
    }),
    networkWatcher({ sub: SUB_CORP, rg: RG_WATCHER, name: "NetworkWatcher_northeurope", location: NEU }),
  ];
}

/** Offered api-versions per type, newest first; Microsoft.Portal/dashboards has only previews. */
const API_VERSIONS: Record<string, string[]> = (() => {
  const network = ["2025-09-01", "2025-07-01", "2025-05-01", "2025-03-01", "2025-01-01", "2024-10-01", "2024-07-01", "2024-05-01"];
  const compute = ["2025-11-01", "2025-04-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-09-01"];
  const sql = ["2024-11-01-preview", "2024-05-01-preview", "2023-08-01", "2023-08-01-preview", "2023-05-01-preview", "2021-11-01"];
  const web = ["2025-03-01", "2024-11-01", "2024-04-01", "2023-12-01", "2023-01-01", "2022-09-01"];
  const serviceBus = ["2025-05-01-preview", "2024-01-01", "2023-01-01-preview", "2022-10-01-preview", "2021-11-01", "2017-04-01"];
  const dns = ["2024-06-01", "2020-06-01", "2020-01-01", "2018-09-01"];
  return {
    "Microsoft.Network/virtualNetworks": network,
    "Microsoft.Network/virtualNetworks/subnets": network,
    "Microsoft.Network/networkSecurityGroups": network,
    "Microsoft.Network/routeTables": network,
    "Microsoft.Network/networkInterfaces": network,
    "Microsoft.Network/publicIPAddresses": network,
    "Microsoft.Network/loadBalancers": network,
    "Microsoft.Network/applicationGateways": network,
    "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies": network,
    "Microsoft.Network/privateEndpoints": network,
    "Microsoft.Network/networkWatchers": network,
    "Microsoft.Network/privateDnsZones": dns,
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": dns,
    "Microsoft.Web/serverfarms": web,
    "Microsoft.Web/sites": web,
    "Microsoft.Insights/components": ["2020-02-02", "2020-02-02-preview", "2018-05-01-preview", "2015-05-01"],
    "Microsoft.Insights/metricAlerts": ["2024-03-01-preview", "2018-03-01"],
    "Microsoft.Insights/ActionGroups": ["2024-10-01-preview", "2023-09-01-preview", "2023-01-01", "2022-06-01", "2021-09-01"],
    "Microsoft.Portal/dashboards": ["2022-12-01-preview", "2020-09-01-preview", "2019-01-01-preview", "2015-08-01-preview"],
    "Microsoft.OperationalInsights/workspaces": [
      "2025-07-01",
      "2025-02-01",
      "2023-09-01",
      "2022-10-01",
      "2021-12-01-preview",
      "2020-08-01",
    ],
    "Microsoft.Sql/servers": sql,
    "Microsoft.Sql/servers/databases": sql,
    "Microsoft.Sql/servers/failoverGroups": sql,
    "Microsoft.Storage/storageAccounts": ["2025-06-01", "2025-01-01", "2024-01-01", "2023-05-01", "2023-01-01"],
    "Microsoft.KeyVault/vaults": ["2025-05-01", "2024-12-01-preview", "2024-11-01", "2023-07-01", "2023-02-01"],
    "Microsoft.DocumentDB/databaseAccounts": ["2025-10-15", "2025-05-01-preview", "2025-04-15", "2024-11-15", "2024-08-15"],
    "Microsoft.Cache/Redis": ["2024-11-01", "2024-04-01-preview", "2024-03-01", "2023-08-01", "2023-04-01"],
    "Microsoft.ServiceBus/Namespaces": serviceBus,
    "Microsoft.ServiceBus/Namespaces/Queues": serviceBus,
    "Microsoft.ContainerService/managedClusters": [
      "2025-10-02-preview",
      "2025-10-01",
      "2025-08-01",
      "2025-07-01",
      "2024-10-01",
      "2024-09-02-preview",
    ],
    "Microsoft.ContainerRegistry/registries": ["2025-11-01", "2025-04-01", "2025-03-01-preview", "2023-07-01", "2023-01-01-preview"],
    "Microsoft.ManagedIdentity/userAssignedIdentities": [
      "2025-01-31-preview",
      "2024-11-30",
      "2023-07-31-preview",
      "2023-01-31",
      "2018-11-30",
    ],
    "Microsoft.Compute/virtualMachines": compute,
    "Microsoft.Compute/virtualMachineScaleSets": compute,
    "Microsoft.Compute/availabilitySets": compute,
    "Microsoft.Compute/disks": ["2025-01-02", "2024-03-02", "2023-10-02", "2023-04-02", "2023-01-02"],
  };
})();

/**
 * The sample estate (docs/interfaces.md section 1): two subscriptions, built from real payload
 * shapes, both under the management group mg-platform (below the tenant root).
 */
export function buildSampleEstate(): Estate {
  return {
    subscriptions: [
      {
        subscriptionId: SUB_PROD,
        displayName: "contoso-prod",
        resources: [...prodNetwork(), ...prodWeb(), ...prodData(), ...prodDisasterRecovery(), ...prodAks(), ...prodMonitoring()],
      },
      {
        subscriptionId: SUB_CORP,
        displayName: "contoso-corp",
        resources: [...corpNetwork(), ...corpVirtualMachines(), ...corpApps()],
      },
    ],
    managementGroups: [{ name: "mg-platform", displayName: "Platform", subscriptions: [SUB_PROD, SUB_CORP] }],
    apiVersions: API_VERSIONS,
  };
}

/** The exact text of tools/estates/sample.json (2-space JSON with a final newline). */
export function renderSampleEstate(): string {
  return `${JSON.stringify(buildSampleEstate(), null, 2)}\n`;
}

/** Where the builder writes the sample estate. */
export const SAMPLE_ESTATE_PATH = fileURLToPath(new URL("./sample.json", import.meta.url));

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SAMPLE_ESTATE_PATH, renderSampleEstate());
  process.stdout.write(`wrote ${SAMPLE_ESTATE_PATH}\n`);
}
