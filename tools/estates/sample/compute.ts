// Builders for compute: user-assigned identities, VMs with their managed disks and availability
// set, AKS with its node-pool scale sets, and the container registry. Shapes follow IdentityGet,
// VirtualMachine_Get, Disk_Get, ManagedClustersGet and RegistryGet.
import type { ArmResource } from "../schema.js";
import { childId, guidFrom, lowerResourceGroupsSegment, resourceId, TENANT_ID } from "./ids.js";
import type { Placement } from "./network.js";

/** The principal and client ids of a managed identity, as resources that use it echo them. */
export interface IdentityIds {
  principalId: string;
  clientId: string;
}

/** The principal/client ids an identity with this id has (stable, derived from the id). */
export function identityIdsOf(id: string): IdentityIds {
  return { principalId: guidFrom(`principal:${id.toLowerCase()}`), clientId: guidFrom(`client:${id.toLowerCase()}`) };
}

/** The id of a user-assigned identity as ARM spells it in the identity's own payload (`resourcegroups`). */
export function userAssignedIdentityId(sub: string, rg: string, name: string): string {
  return lowerResourceGroupsSegment(resourceId(sub, rg, "Microsoft.ManagedIdentity", "userAssignedIdentities", name));
}

/** A user-assigned managed identity. */
export function userAssignedIdentity(at: Placement): ArmResource {
  const id = userAssignedIdentityId(at.sub, at.rg, at.name);
  const ids = identityIdsOf(id);
  return {
    name: at.name,
    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    id,
    location: at.location,
    properties: { clientId: ids.clientId, isolationScope: "None", principalId: ids.principalId, tenantId: TENANT_ID },
    tags: at.tags ?? {},
  };
}

/** `identity` of a resource using the given user-assigned identities (keys keep the caller's casing). */
export function userAssignedIdentityBlock(identityIds: string[], systemAssignedFor?: string): Record<string, unknown> {
  const userAssignedIdentities = Object.fromEntries(identityIds.map((id) => [id, identityIdsOf(id)]));
  if (systemAssignedFor === undefined) return { type: "UserAssigned", userAssignedIdentities };
  return {
    type: "SystemAssigned, UserAssigned",
    principalId: guidFrom(`principal:${systemAssignedFor.toLowerCase()}`),
    tenantId: TENANT_ID,
    userAssignedIdentities,
  };
}

/** `identity` of a resource with only its system-assigned identity. */
export function systemAssignedIdentity(resourceIdValue: string): Record<string, unknown> {
  return { type: "SystemAssigned", principalId: guidFrom(`principal:${resourceIdValue.toLowerCase()}`), tenantId: TENANT_ID };
}

/** The id of managed disk `name`. */
export function diskId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Compute", "disks", name);
}

/** A managed disk; `managedBy` is the back-reference to the VM it is attached to. */
export function managedDisk(
  at: Placement,
  opts: {
    managedBy: string;
    sku: "Premium_LRS" | "Premium_ZRS" | "StandardSSD_LRS";
    sizeGB: number;
    zone?: string;
    os?: { type: "Linux" | "Windows"; platformImageId: string };
    /** Azure Disk Encryption: the vault holding the disk encryption secret. */
    encryptionVaultId?: string;
    encryptionVaultUri?: string;
  },
): ArmResource {
  const id = diskId(at.sub, at.rg, at.name);
  const properties: Record<string, unknown> = {};
  if (opts.os) properties.osType = opts.os.type;
  properties.hyperVGeneration = "V2";
  properties.supportedCapabilities = { diskControllerTypes: "SCSI, NVMe", acceleratedNetwork: true, architecture: "x64" };
  properties.supportsHibernation = opts.os !== undefined;
  properties.securityProfile = { securityType: "TrustedLaunch" };
  properties.creationData = opts.os
    ? { createOption: "FromImage", imageReference: { id: opts.os.platformImageId } }
    : { createOption: "Empty" };
  properties.diskSizeGB = opts.sizeGB;
  properties.diskIOPSReadWrite = opts.sizeGB >= 256 ? 1100 : 500;
  properties.diskMBpsReadWrite = opts.sizeGB >= 256 ? 125 : 100;
  if (opts.encryptionVaultId) {
    properties.encryptionSettingsCollection = {
      enabled: true,
      encryptionSettings: [
        {
          diskEncryptionKey: {
            sourceVault: { id: opts.encryptionVaultId },
            secretUrl: `${opts.encryptionVaultUri ?? ""}secrets/${guidFrom(`ade:${id}`)}/${guidFrom(`adev:${id}`).replace(/-/g, "")}`,
          },
        },
      ],
      encryptionSettingsVersion: "1.1",
    };
  }
  properties.encryption = { type: "EncryptionAtRestWithPlatformKey" };
  properties.networkAccessPolicy = "AllowAll";
  properties.publicNetworkAccess = "Enabled";
  properties.timeCreated = "2024-03-14T09:12:41.3926614+00:00";
  properties.provisioningState = "Succeeded";
  properties.diskState = "Attached";
  properties.diskSizeBytes = opts.sizeGB * 1024 * 1024 * 1024;
  properties.uniqueId = guidFrom(`unique:${id}`);
  properties.tier = opts.sizeGB >= 256 ? "P15" : "P10";
  properties.LastOwnershipUpdateTime = "2024-03-14T09:13:02.1187435+00:00";
  return {
    managedBy: opts.managedBy,
    sku: { name: opts.sku, tier: opts.sku.startsWith("Premium") ? "Premium" : "Standard" },
    ...(opts.zone ? { zones: [opts.zone] } : {}),
    properties,
    type: "Microsoft.Compute/disks",
    location: at.location,
    tags: at.tags ?? {},
    id,
    name: at.name,
  };
}

/** The id of virtual machine `name`. */
export function virtualMachineId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Compute", "virtualMachines", name);
}

/** A Linux VM with managed OS and data disks and one or more NICs. */
export function virtualMachine(
  at: Placement,
  opts: {
    size: string;
    availabilitySetId?: string;
    zone?: string;
    osDisk: { name: string; id: string; sizeGB: number };
    dataDisks: { name: string; id: string; sizeGB: number }[];
    nicIds: string[];
    bootDiagnosticsUri: string;
  },
): ArmResource {
  const id = virtualMachineId(at.sub, at.rg, at.name);
  const extId = childId(id, "extensions", "AzureMonitorLinuxAgent");
  const properties: Record<string, unknown> = { vmId: guidFrom(`vm:${id}`) };
  if (opts.availabilitySetId) properties.availabilitySet = { id: opts.availabilitySetId };
  Object.assign(properties, {
    hardwareProfile: { vmSize: opts.size },
    storageProfile: {
      imageReference: {
        publisher: "Canonical",
        offer: "0001-com-ubuntu-server-jammy",
        sku: "22_04-lts-gen2",
        version: "latest",
        exactVersion: "22.04.202409170",
      },
      osDisk: {
        osType: "Linux",
        name: opts.osDisk.name,
        createOption: "FromImage",
        caching: "ReadWrite",
        managedDisk: { storageAccountType: "Premium_LRS", id: opts.osDisk.id },
        deleteOption: "Detach",
        diskSizeGB: opts.osDisk.sizeGB,
      },
      dataDisks: opts.dataDisks.map((d, lun) => ({
        lun,
        name: d.name,
        createOption: "Attach",
        caching: "ReadOnly",
        writeAcceleratorEnabled: false,
        managedDisk: { storageAccountType: "Premium_LRS", id: d.id },
        deleteOption: "Detach",
        diskSizeGB: d.sizeGB,
        toBeDetached: false,
      })),
      diskControllerType: "SCSI",
    },
    osProfile: {
      computerName: at.name,
      adminUsername: "azureuser",
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        provisionVMAgent: true,
        patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform" },
        enableVMAgentPlatformUpdates: false,
      },
      secrets: [],
      allowExtensionOperations: true,
      requireGuestProvisionSignal: true,
    },
    securityProfile: { uefiSettings: { secureBootEnabled: true, vTpmEnabled: true }, securityType: "TrustedLaunch" },
    networkProfile: {
      networkInterfaces: opts.nicIds.map((nic, i) => ({ id: nic, properties: { primary: i === 0, deleteOption: "Detach" } })),
    },
    diagnosticsProfile: { bootDiagnostics: { enabled: true, storageUri: opts.bootDiagnosticsUri } },
    provisioningState: "Succeeded",
    timeCreated: "2024-03-14T09:12:38.5511243+00:00",
  });
  return {
    name: at.name,
    id,
    type: "Microsoft.Compute/virtualMachines",
    location: at.location,
    tags: at.tags ?? {},
    ...(opts.zone ? { zones: [opts.zone] } : {}),
    etag: `"${(opts.dataDisks.length + 2).toString()}"`,
    properties,
    resources: [
      {
        name: "AzureMonitorLinuxAgent",
        id: extId,
        type: "Microsoft.Compute/virtualMachines/extensions",
        location: at.location,
        properties: {
          autoUpgradeMinorVersion: true,
          enableAutomaticUpgrade: true,
          provisioningState: "Succeeded",
          publisher: "Microsoft.Azure.Monitor",
          type: "AzureMonitorLinuxAgent",
          typeHandlerVersion: "1.33",
          settings: {},
        },
      },
    ],
  };
}

/** The id of availability set `name`. */
export function availabilitySetId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Compute", "availabilitySets", name);
}

/** An aligned availability set; `virtualMachines` is its back-reference list (the compute RP upper-cases it). */
export function availabilitySet(at: Placement, virtualMachines: string[]): ArmResource {
  return {
    name: at.name,
    id: availabilitySetId(at.sub, at.rg, at.name),
    type: "Microsoft.Compute/availabilitySets",
    location: at.location,
    tags: at.tags ?? {},
    sku: { name: "Aligned" },
    properties: {
      platformUpdateDomainCount: 5,
      platformFaultDomainCount: 2,
      virtualMachines: virtualMachines.map((id) => ({ id })),
    },
  };
}

/** The id of a VM scale set. */
export function scaleSetId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Compute", "virtualMachineScaleSets", name);
}

/** The id of the NIC ipConfiguration of instance `instance` of an AKS node-pool scale set. */
export function scaleSetInstanceIpConfigId(vmss: string, instance: number): string {
  const name = vmss.slice(vmss.lastIndexOf("/") + 1);
  return childId(vmss, "virtualMachines", String(instance), "networkInterfaces", name, "ipConfigurations", "ipconfig1");
}

/** The scale set behind an AKS node pool (lives in the cluster's node resource group). */
export function aksNodePoolScaleSet(
  at: Placement,
  opts: {
    pool: string;
    cluster: { name: string; rg: string };
    vmSize: string;
    capacity: number;
    zones: string[];
    identityIds: string[];
    subnetId: string;
    networkSecurityGroupId: string;
    loadBalancerPools: string[];
  },
): ArmResource {
  const id = scaleSetId(at.sub, at.rg, at.name);
  return {
    name: at.name,
    id,
    type: "Microsoft.Compute/virtualMachineScaleSets",
    location: at.location,
    tags: {
      "aks-managed-createOperationID": guidFrom(`op:${id}`),
      "aks-managed-creationSource": `vmssclient-${at.name.replace(/-vmss$/, "")}`,
      "aks-managed-kubeletIdentityClientID": identityIdsOf(opts.identityIds[0] ?? "").clientId,
      "aks-managed-orchestrator": "Kubernetes:1.30.5",
      "aks-managed-poolName": opts.pool,
      "aks-managed-resourceNameSuffix": "31415926",
      "aks-managed-cluster-name": opts.cluster.name,
      "aks-managed-cluster-rg": opts.cluster.rg,
    },
    sku: { name: opts.vmSize, tier: "Standard", capacity: opts.capacity },
    zones: opts.zones,
    identity: userAssignedIdentityBlock(opts.identityIds),
    properties: {
      singlePlacementGroup: false,
      orchestrationMode: "Uniform",
      upgradePolicy: { mode: "Manual" },
      virtualMachineProfile: {
        osProfile: {
          computerNamePrefix: `${at.name}-`,
          adminUsername: "azureuser",
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: {
              publicKeys: [
                { path: "/home/azureuser/.ssh/authorized_keys", keyData: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0sampleonly azureuser" },
              ],
            },
            provisionVMAgent: true,
            enableVMAgentPlatformUpdates: false,
          },
          secrets: [],
          allowExtensionOperations: true,
          requireGuestProvisionSignal: true,
        },
        storageProfile: {
          osDisk: {
            osType: "Linux",
            createOption: "FromImage",
            caching: "ReadOnly",
            managedDisk: { storageAccountType: "Premium_LRS" },
            diskSizeGB: 128,
          },
          diskControllerType: "SCSI",
        },
        networkProfile: {
          networkInterfaceConfigurations: [
            {
              name: at.name,
              properties: {
                primary: true,
                enableAcceleratedNetworking: true,
                disableTcpStateTracking: false,
                networkSecurityGroup: { id: opts.networkSecurityGroupId },
                dnsSettings: { dnsServers: [] },
                enableIPForwarding: true,
                ipConfigurations: [
                  {
                    name: "ipconfig1",
                    properties: {
                      primary: true,
                      subnet: { id: opts.subnetId },
                      privateIPAddressVersion: "IPv4",
                      loadBalancerBackendAddressPools: opts.loadBalancerPools.map((p) => ({ id: p })),
                    },
                  },
                ],
              },
            },
          ],
        },
        extensionProfile: {
          extensions: [
            {
              name: "vmssCSE",
              properties: {
                autoUpgradeMinorVersion: true,
                publisher: "Microsoft.Azure.Extensions",
                type: "CustomScript",
                typeHandlerVersion: "2.0",
                settings: {},
              },
            },
          ],
        },
      },
      provisioningState: "Succeeded",
      overprovision: false,
      doNotRunExtensionsOnOverprovisionedVMs: false,
      uniqueId: guidFrom(`unique:${id}`),
      platformFaultDomainCount: 1,
      timeCreated: "2024-05-02T07:44:19.0312231+00:00",
    },
  };
}

/** The id of managed cluster `name`. */
export function managedClusterId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.ContainerService", "managedClusters", name);
}

/** An AKS cluster with user-assigned control-plane identity, BYO subnet and two node pools. */
export function managedCluster(
  at: Placement,
  opts: {
    controlPlaneIdentityId: string;
    kubeletIdentityId: string;
    secretsProviderIdentityId: string;
    nodeResourceGroup: string;
    pools: { name: string; mode: "System" | "User"; count: number; vmSize: string; subnetId: string }[];
    outboundIpId: string;
    keyVaultId: string;
    keyVaultKeyId: string;
    logAnalyticsWorkspaceId: string;
  },
): ArmResource {
  const id = managedClusterId(at.sub, at.rg, at.name);
  const fqdnSuffix = `${guidFrom(`fqdn:${id}`).slice(0, 8)}.hcp.${at.location}.azmk8s.io`;
  return {
    name: at.name,
    type: "Microsoft.ContainerService/managedClusters",
    eTag: guidFrom(`etag:${id}`).slice(0, 8),
    id,
    location: at.location,
    tags: at.tags ?? {},
    sku: { name: "Base", tier: "Standard" },
    identity: userAssignedIdentityBlock([opts.controlPlaneIdentityId]),
    properties: {
      provisioningState: "Succeeded",
      powerState: { code: "Running" },
      kubernetesVersion: "1.30.5",
      currentKubernetesVersion: "1.30.5",
      dnsPrefix: at.name,
      fqdn: `${at.name}-${fqdnSuffix}`,
      azurePortalFQDN: `${at.name}-${guidFrom(`portal:${id}`).slice(0, 8)}.portal.hcp.${at.location}.azmk8s.io`,
      agentPoolProfiles: opts.pools.map((p) => ({
        name: p.name,
        count: p.count,
        vmSize: p.vmSize,
        osDiskSizeGB: 128,
        osDiskType: "Ephemeral",
        kubeletDiskType: "OS",
        vnetSubnetID: p.subnetId,
        maxPods: 110,
        type: "VirtualMachineScaleSets",
        availabilityZones: ["1", "2", "3"],
        maxCount: p.count * 3,
        minCount: p.count,
        enableAutoScaling: true,
        scaleDownMode: "Delete",
        provisioningState: "Succeeded",
        powerState: { code: "Running" },
        orchestratorVersion: "1.30.5",
        currentOrchestratorVersion: "1.30.5",
        enableNodePublicIP: false,
        mode: p.mode,
        osType: "Linux",
        osSKU: "AzureLinux",
        nodeImageVersion: "AzureLinuxContainerHost-202410.09.0",
        upgradeSettings: { maxSurge: "33%" },
        enableFIPS: false,
        eTag: guidFrom(`etag:${id}/${p.name}`).slice(0, 8),
      })),
      linuxProfile: {
        adminUsername: "azureuser",
        ssh: { publicKeys: [{ keyData: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0sampleonly azureuser" }] },
      },
      servicePrincipalProfile: { clientId: "msi" },
      addonProfiles: {
        azureKeyvaultSecretsProvider: {
          enabled: true,
          config: { enableSecretRotation: "true", rotationPollInterval: "2m" },
          identity: identityRef(opts.secretsProviderIdentityId),
        },
        azurepolicy: { enabled: false },
        omsagent: {
          enabled: true,
          config: { logAnalyticsWorkspaceResourceID: opts.logAnalyticsWorkspaceId, useAADAuth: "true" },
        },
      },
      nodeResourceGroup: opts.nodeResourceGroup,
      enableRBAC: true,
      supportPlan: "KubernetesOfficial",
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy: "cilium",
        networkDataplane: "cilium",
        loadBalancerSku: "standard",
        loadBalancerProfile: {
          managedOutboundIPs: { count: 1 },
          effectiveOutboundIPs: [{ id: opts.outboundIpId }],
          backendPoolType: "nodeIPConfiguration",
        },
        podCidr: "10.244.0.0/16",
        serviceCidr: "10.0.0.0/16",
        dnsServiceIP: "10.0.0.10",
        outboundType: "loadBalancer",
        podCidrs: ["10.244.0.0/16"],
        serviceCidrs: ["10.0.0.0/16"],
        ipFamilies: ["IPv4"],
      },
      maxAgentPools: 100,
      identityProfile: { kubeletidentity: identityRef(opts.kubeletIdentityId) },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      disableLocalAccounts: true,
      securityProfile: {
        azureKeyVaultKms: {
          enabled: true,
          keyId: opts.keyVaultKeyId,
          keyVaultNetworkAccess: "Private",
          keyVaultResourceId: opts.keyVaultId,
        },
      },
      storageProfile: { diskCSIDriver: { enabled: true }, fileCSIDriver: { enabled: true }, snapshotController: { enabled: true } },
      oidcIssuerProfile: {
        enabled: true,
        issuerURL: `https://${at.location}.oic.prod-aks.azure.com/${TENANT_ID}/${guidFrom(`oidc:${id}`)}/`,
      },
      workloadAutoScalerProfile: {},
      resourceUID: guidFrom(`uid:${id}`).replace(/-/g, "").slice(0, 24),
    },
  };
}

/** `{ resourceId, clientId, objectId }` as AKS echoes an identity it uses. */
function identityRef(rid: string): Record<string, string> {
  const ids = identityIdsOf(rid);
  return { resourceId: rid, clientId: ids.clientId, objectId: ids.principalId };
}

/** The id of container registry `name`. */
export function registryId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.ContainerRegistry", "registries", name);
}

/** A Premium, zone-redundant container registry reachable through a private endpoint. */
export function containerRegistry(at: Placement, privateEndpointConnections: Record<string, unknown>[]): ArmResource {
  const id = registryId(at.sub, at.rg, at.name);
  return {
    id,
    name: at.name,
    type: "Microsoft.ContainerRegistry/registries",
    location: at.location,
    tags: at.tags ?? {},
    sku: { name: "Premium", tier: "Premium" },
    properties: {
      loginServer: `${at.name}.azurecr.io`,
      creationDate: "2024-02-20T10:31:57.8857437Z",
      provisioningState: "Succeeded",
      adminUserEnabled: false,
      networkRuleSet: { defaultAction: "Deny", ipRules: [] },
      policies: {
        quarantinePolicy: { status: "disabled" },
        trustPolicy: { type: "Notary", status: "disabled" },
        retentionPolicy: { days: 7, lastUpdatedTime: "2024-02-20T10:32:11.1470231+00:00", status: "enabled" },
        exportPolicy: { status: "enabled" },
        azureADAuthenticationAsArmPolicy: { status: "enabled" },
      },
      encryption: { status: "disabled" },
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections,
      publicNetworkAccess: "Disabled",
      networkRuleBypassOptions: "AzureServices",
      networkRuleBypassAllowedForTasks: false,
      zoneRedundancy: "Enabled",
      anonymousPullEnabled: false,
      roleAssignmentMode: "LegacyRegistryPermissions",
    },
  };
}
