/**
 * ARM GET payloads of types the sample estate does not have, written by hand in the shape each
 * provider returns (property names and nesting as in the @azure/arm-* model declarations: network
 * 36, compute 23.3, appcontainers 3, containerservice 24.1, postgresql-flexible 9, eventhub 5.2,
 * logic 8.2, apimanagement 10, cognitiveservices 8.1, search 3.3, appservice 18, cdn 9.1). Each
 * group is a small estate around one kind of reference.
 */
const sub = "/subscriptions/5b0c2f6e-3a71-4c2d-9e8f-1a2b3c4d5e6f";
const net = `${sub}/resourceGroups/rg-net-hub/providers`;
const app = `${sub}/resourceGroups/rg-app-prod/providers`;
const other = "/subscriptions/9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-consumer/providers";

/** Ids of the fixture resources. */
export const ids = {
  vnetHub: `${net}/Microsoft.Network/virtualNetworks/vnet-hub`,
  vnetSpoke: `${net}/Microsoft.Network/virtualNetworks/vnet-spoke`,
  fwSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet`,
  bastionSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/AzureBastionSubnet`,
  gatewaySubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/GatewaySubnet`,
  appsSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-apps`,
  acaSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-aca`,
  aksSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-aks`,
  podSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pods`,
  psqlSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-psql`,
  apimSubnet: `${net}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-apim`,
  ddos: `${net}/Microsoft.Network/ddosProtectionPlans/ddos-hub`,
  pipFw: `${net}/Microsoft.Network/publicIPAddresses/pip-fw`,
  pipNat: `${net}/Microsoft.Network/publicIPAddresses/pip-nat`,
  pipBastion: `${net}/Microsoft.Network/publicIPAddresses/pip-bas`,
  pipGateway: `${net}/Microsoft.Network/publicIPAddresses/pip-vgw`,
  pipApim: `${net}/Microsoft.Network/publicIPAddresses/pip-apim`,
  firewall: `${net}/Microsoft.Network/azureFirewalls/azfw-hub`,
  policyBase: `${net}/Microsoft.Network/firewallPolicies/afwp-base`,
  policyHub: `${net}/Microsoft.Network/firewallPolicies/afwp-hub`,
  ipGroup: `${net}/Microsoft.Network/ipGroups/ipg-onprem`,
  nat: `${net}/Microsoft.Network/natGateways/ng-egress`,
  bastion: `${net}/Microsoft.Network/bastionHosts/bas-hub`,
  gateway: `${net}/Microsoft.Network/virtualNetworkGateways/vgw-hub`,
  lb: `${net}/Microsoft.Network/loadBalancers/lb-internal`,
  pls: `${net}/Microsoft.Network/privateLinkServices/pls-api`,
  plsNic: `${net}/Microsoft.Network/networkInterfaces/pls-api.nic.7f3e9a2b-1c4d-4e5f-8a9b-0c1d2e3f4a5b`,
  consumerEndpoint: `${other}/Microsoft.Network/privateEndpoints/pe-consumer`,
  ppg: `${app}/Microsoft.Compute/proximityPlacementGroups/ppg-sql`,
  vm: `${app}/Microsoft.Compute/virtualMachines/vm-sql-1`,
  vmss: `${app}/Microsoft.Compute/virtualMachineScaleSets/vmss-batch`,
  environment: `${app}/Microsoft.App/managedEnvironments/cae-prod`,
  containerApp: `${app}/Microsoft.App/containerApps/ca-orders`,
  identity: `${app}/Microsoft.ManagedIdentity/userAssignedIdentities/id-orders`,
  cluster: `${app}/Microsoft.ContainerService/managedClusters/aks-fx`,
  agentPool: `${app}/Microsoft.ContainerService/managedClusters/aks-fx/agentPools/npuser`,
  postgres: `${app}/Microsoft.DBforPostgreSQL/flexibleServers/psql-orders`,
  postgresZone: `${net}/Microsoft.Network/privateDnsZones/psql-orders.private.postgres.database.azure.com`,
  eventHubs: `${app}/Microsoft.EventHub/namespaces/evhns-telemetry`,
  eventHubsEndpoint: `${app}/Microsoft.Network/privateEndpoints/pe-evhns`,
  eventHubsEndpointNic: `${app}/Microsoft.Network/networkInterfaces/pe-evhns.nic.2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d`,
  workflow: `${app}/Microsoft.Logic/workflows/logic-orders`,
  integrationAccount: `${app}/Microsoft.Logic/integrationAccounts/ia-b2b`,
  connection: `${app}/Microsoft.Web/connections/servicebus`,
  apim: `${app}/Microsoft.ApiManagement/service/apim-prod`,
  openai: `${app}/Microsoft.CognitiveServices/accounts/cog-openai`,
  openaiEndpoint: `${app}/Microsoft.Network/privateEndpoints/pe-cog`,
  storage: `${app}/Microsoft.Storage/storageAccounts/staidocs`,
  search: `${app}/Microsoft.Search/searchServices/srch-docs`,
  searchEndpoint: `${app}/Microsoft.Network/privateEndpoints/pe-srch`,
  staticSite: `${app}/Microsoft.Web/staticSites/stapp-portal`,
  functionApp: `${app}/Microsoft.Web/sites/func-portal-api`,
  plan: `${app}/Microsoft.Web/serverfarms/asp-portal`,
  frontDoor: `${app}/Microsoft.Cdn/profiles/afd-prod`,
  originGroup: `${app}/Microsoft.Cdn/profiles/afd-prod/originGroups/og-web`,
  origin: `${app}/Microsoft.Cdn/profiles/afd-prod/originGroups/og-web/origins/app-web`,
  webApp: `${app}/Microsoft.Web/sites/app-web-fx`,
};

const resource = (id: string, type: string, body: Record<string, unknown>, location = "westeurope") => ({
  id,
  name: id.split("/").at(-1)!,
  type,
  location,
  ...body,
});
const subnet = (id: string, properties: Record<string, unknown>) => ({
  id,
  name: id.split("/").at(-1)!,
  type: "Microsoft.Network/virtualNetworks/subnets",
  etag: 'W/"00000000-0000-0000-0000-000000000001"',
  properties: {
    provisioningState: "Succeeded",
    privateEndpointNetworkPolicies: "Disabled",
    privateLinkServiceNetworkPolicies: "Enabled",
    ...properties,
  },
});

/** DDoS protection plan, hub and spoke networks (with peerings), their subnets. */
export const networks = [
  resource(ids.ddos, "Microsoft.Network/ddosProtectionPlans", {
    etag: 'W/"1"',
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: "0b5e8c1a-2d3f-4e6a-9b7c-8d9e0f1a2b3c",
      // Read-only: the networks and public IPs the plan protects.
      virtualNetworks: [{ id: ids.vnetHub }, { id: ids.vnetSpoke }],
      publicIPAddresses: [{ id: ids.pipFw }],
    },
  }),
  resource(ids.vnetHub, "Microsoft.Network/virtualNetworks", {
    properties: {
      provisioningState: "Succeeded",
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
      enableDdosProtection: true,
      ddosProtectionPlan: { id: ids.ddos },
      subnets: [
        subnet(ids.fwSubnet, {
          addressPrefix: "10.0.1.0/26",
          ipConfigurations: [{ id: `${ids.firewall}/azureFirewallIpConfigurations/ipconfig1` }],
        }),
        subnet(ids.bastionSubnet, {
          addressPrefix: "10.0.2.0/26",
          ipConfigurations: [{ id: `${ids.bastion}/bastionHostIpConfigurations/IpConf` }],
        }),
        subnet(ids.gatewaySubnet, { addressPrefix: "10.0.3.0/27", ipConfigurations: [{ id: `${ids.gateway}/ipConfigurations/default` }] }),
        subnet(ids.appsSubnet, {
          addressPrefix: "10.0.4.0/24",
          natGateway: { id: ids.nat },
          serviceEndpoints: [{ service: "Microsoft.CognitiveServices", locations: ["westeurope"] }],
          privateEndpoints: [{ id: ids.eventHubsEndpoint }, { id: ids.openaiEndpoint }],
          ipConfigurations: [
            { id: `${ids.lb}/frontendIPConfigurations/fe-api` },
            { id: `${ids.plsNic}/ipConfigurations/pls-api-ipconfig` },
          ],
        }),
      ],
      virtualNetworkPeerings: [
        {
          id: `${ids.vnetHub}/virtualNetworkPeerings/hub-to-spoke`,
          name: "hub-to-spoke",
          properties: {
            peeringState: "Connected",
            remoteVirtualNetwork: { id: ids.vnetSpoke },
            allowVirtualNetworkAccess: true,
            allowForwardedTraffic: true,
            allowGatewayTransit: true,
            useRemoteGateways: false,
            remoteAddressSpace: { addressPrefixes: ["10.1.0.0/16"] },
          },
        },
      ],
    },
  }),
  resource(ids.vnetSpoke, "Microsoft.Network/virtualNetworks", {
    properties: {
      provisioningState: "Succeeded",
      addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
      // Protected by the plan, but this network's payload does not say so: only the plan lists it.
      subnets: [
        subnet(ids.acaSubnet, {
          addressPrefix: "10.1.0.0/23",
          delegations: [{ name: "aca", properties: { serviceName: "Microsoft.App/environments" } }],
        }),
        subnet(ids.aksSubnet, { addressPrefix: "10.1.4.0/22" }),
        subnet(ids.podSubnet, { addressPrefix: "10.1.8.0/22" }),
        subnet(ids.psqlSubnet, {
          addressPrefix: "10.1.12.0/28",
          delegations: [{ name: "psql", properties: { serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" } }],
        }),
        subnet(ids.apimSubnet, { addressPrefix: "10.1.13.0/27" }),
      ],
      virtualNetworkPeerings: [
        {
          id: `${ids.vnetSpoke}/virtualNetworkPeerings/spoke-to-hub`,
          name: "spoke-to-hub",
          properties: {
            peeringState: "Connected",
            remoteVirtualNetwork: { id: ids.vnetHub },
            allowVirtualNetworkAccess: true,
            useRemoteGateways: true,
          },
        },
      ],
    },
  }),
];

const publicIp = (id: string, ipConfiguration: string | undefined, extra: Record<string, unknown> = {}) =>
  resource(id, "Microsoft.Network/publicIPAddresses", {
    sku: { name: "Standard", tier: "Regional" },
    zones: ["1", "2", "3"],
    properties: {
      provisioningState: "Succeeded",
      publicIPAddressVersion: "IPv4",
      publicIPAllocationMethod: "Static",
      ipAddress: "20.0.0.1",
      idleTimeoutInMinutes: 4,
      ddosSettings: { protectionMode: "VirtualNetworkInherited" },
      ...(ipConfiguration === undefined ? {} : { ipConfiguration: { id: ipConfiguration } }),
      ...extra,
    },
  });

/** Azure Firewall with a policy hierarchy and an IP group; NAT gateway; Bastion; VPN gateway. */
export const edge = [
  publicIp(ids.pipFw, `${ids.firewall}/azureFirewallIpConfigurations/ipconfig1`),
  publicIp(ids.pipNat, undefined, { natGateway: { id: ids.nat } }),
  publicIp(ids.pipBastion, `${ids.bastion}/bastionHostIpConfigurations/IpConf`),
  publicIp(ids.pipGateway, `${ids.gateway}/ipConfigurations/default`),
  resource(ids.firewall, "Microsoft.Network/azureFirewalls", {
    zones: ["1", "2", "3"],
    properties: {
      provisioningState: "Succeeded",
      sku: { name: "AZFW_VNet", tier: "Standard" },
      threatIntelMode: "Alert",
      ipConfigurations: [
        {
          id: `${ids.firewall}/azureFirewallIpConfigurations/ipconfig1`,
          name: "ipconfig1",
          properties: {
            privateIPAddress: "10.0.1.4",
            subnet: { id: ids.fwSubnet },
            publicIPAddress: { id: ids.pipFw },
            provisioningState: "Succeeded",
          },
        },
      ],
      hubIPAddresses: { privateIPAddress: "10.0.1.4" },
      firewallPolicy: { id: ids.policyHub },
      // Read-only: the IP groups the firewall's rules use.
      ipGroups: [{ id: ids.ipGroup, changeNumber: "3" }],
    },
  }),
  resource(ids.policyBase, "Microsoft.Network/firewallPolicies", {
    properties: {
      provisioningState: "Succeeded",
      threatIntelMode: "Deny",
      childPolicies: [{ id: ids.policyHub }],
      firewalls: [],
      ruleCollectionGroups: [{ id: `${ids.policyBase}/ruleCollectionGroups/DefaultNetworkRuleCollectionGroup` }],
    },
  }),
  resource(ids.policyHub, "Microsoft.Network/firewallPolicies", {
    properties: {
      provisioningState: "Succeeded",
      basePolicy: { id: ids.policyBase },
      threatIntelMode: "Alert",
      sku: { tier: "Standard" },
      childPolicies: [],
      firewalls: [{ id: ids.firewall }],
      ruleCollectionGroups: [{ id: `${ids.policyHub}/ruleCollectionGroups/rcg-onprem` }],
    },
  }),
  resource(ids.ipGroup, "Microsoft.Network/ipGroups", {
    properties: {
      provisioningState: "Succeeded",
      ipAddresses: ["192.168.0.0/16", "172.16.0.0/12"],
      firewalls: [{ id: ids.firewall }],
      firewallPolicies: [{ id: ids.policyHub }],
    },
  }),
  resource(ids.nat, "Microsoft.Network/natGateways", {
    sku: { name: "Standard" },
    zones: ["1"],
    properties: {
      provisioningState: "Succeeded",
      idleTimeoutInMinutes: 4,
      publicIpAddresses: [{ id: ids.pipNat }],
      subnets: [{ id: ids.appsSubnet }],
    },
  }),
  resource(ids.bastion, "Microsoft.Network/bastionHosts", {
    sku: { name: "Standard" },
    properties: {
      provisioningState: "Succeeded",
      dnsName: "bst-1a2b3c4d.bastion.azure.com",
      scaleUnits: 2,
      ipConfigurations: [
        {
          id: `${ids.bastion}/bastionHostIpConfigurations/IpConf`,
          name: "IpConf",
          properties: { privateIPAllocationMethod: "Dynamic", subnet: { id: ids.bastionSubnet }, publicIPAddress: { id: ids.pipBastion } },
        },
      ],
    },
  }),
  resource(ids.gateway, "Microsoft.Network/virtualNetworkGateways", {
    properties: {
      provisioningState: "Succeeded",
      gatewayType: "Vpn",
      vpnType: "RouteBased",
      vpnGatewayGeneration: "Generation2",
      sku: { name: "VpnGw2AZ", tier: "VpnGw2AZ" },
      activeActive: false,
      enableBgp: false,
      ipConfigurations: [
        {
          id: `${ids.gateway}/ipConfigurations/default`,
          name: "default",
          properties: { privateIPAllocationMethod: "Dynamic", subnet: { id: ids.gatewaySubnet }, publicIPAddress: { id: ids.pipGateway } },
        },
      ],
    },
  }),
];

/** A private link service behind an internal load balancer, with the NIC it created and a consumer's endpoint. */
export const privateLink = [
  resource(ids.lb, "Microsoft.Network/loadBalancers", {
    sku: { name: "Standard", tier: "Regional" },
    properties: {
      provisioningState: "Succeeded",
      frontendIPConfigurations: [
        {
          id: `${ids.lb}/frontendIPConfigurations/fe-api`,
          name: "fe-api",
          properties: { privateIPAddress: "10.0.4.10", privateIPAllocationMethod: "Static", subnet: { id: ids.appsSubnet } },
          zones: ["1", "2", "3"],
        },
      ],
      backendAddressPools: [],
      loadBalancingRules: [],
    },
  }),
  resource(ids.pls, "Microsoft.Network/privateLinkServices", {
    properties: {
      provisioningState: "Succeeded",
      alias: "pls-api.7f3e9a2b-1c4d-4e5f-8a9b-0c1d2e3f4a5b.westeurope.azure.privatelinkservice",
      visibility: { subscriptions: ["9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"] },
      loadBalancerFrontendIpConfigurations: [{ id: `${ids.lb}/frontendIPConfigurations/fe-api` }],
      ipConfigurations: [
        {
          id: `${ids.pls}/ipConfigurations/pls-api-ipconfig`,
          name: "pls-api-ipconfig",
          properties: { privateIPAllocationMethod: "Dynamic", subnet: { id: ids.appsSubnet }, primary: true },
        },
      ],
      // Read-only: the NIC the service created for its ip configuration.
      networkInterfaces: [{ id: ids.plsNic }],
      privateEndpointConnections: [
        {
          id: `${ids.pls}/privateEndpointConnections/pe-consumer.3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f`,
          name: "pe-consumer.3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
          properties: {
            privateEndpoint: { id: ids.consumerEndpoint },
            privateLinkServiceConnectionState: { status: "Approved", description: "", actionsRequired: "None" },
          },
        },
      ],
    },
  }),
  resource(ids.plsNic, "Microsoft.Network/networkInterfaces", {
    properties: {
      provisioningState: "Succeeded",
      ipConfigurations: [
        {
          id: `${ids.plsNic}/ipConfigurations/pls-api-ipconfig`,
          name: "pls-api-ipconfig",
          properties: {
            privateIPAddress: "10.0.4.11",
            privateIPAllocationMethod: "Dynamic",
            subnet: { id: ids.appsSubnet },
            primary: true,
          },
        },
      ],
      // Read-only on the NIC's side: the service it was created for.
      privateLinkService: { id: ids.pls },
      nicType: "Standard",
    },
  }),
];

/** A proximity placement group, one VM and one scale set placed in it. */
export const placement = [
  resource(ids.ppg, "Microsoft.Compute/proximityPlacementGroups", {
    zones: ["1"],
    properties: {
      proximityPlacementGroupType: "Standard",
      virtualMachines: [{ id: ids.vm }],
      virtualMachineScaleSets: [{ id: ids.vmss }],
      availabilitySets: [],
    },
  }),
  resource(ids.vm, "Microsoft.Compute/virtualMachines", {
    zones: ["1"],
    properties: {
      vmId: "6d7e8f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
      hardwareProfile: { vmSize: "Standard_E8s_v5" },
      proximityPlacementGroup: { id: ids.ppg },
      provisioningState: "Succeeded",
    },
  }),
  resource(ids.vmss, "Microsoft.Compute/virtualMachineScaleSets", {
    sku: { name: "Standard_D4s_v5", tier: "Standard", capacity: 2 },
    properties: {
      orchestrationMode: "Uniform",
      proximityPlacementGroup: { id: ids.ppg },
      upgradePolicy: { mode: "Manual" },
      provisioningState: "Succeeded",
    },
  }),
];

/** A container app on a VNet-integrated managed environment; an AKS user node pool in its own subnet. */
export const containers = [
  resource(ids.identity, "Microsoft.ManagedIdentity/userAssignedIdentities", {
    properties: {
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      principalId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      clientId: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
    },
  }),
  resource(ids.environment, "Microsoft.App/managedEnvironments", {
    properties: {
      provisioningState: "Succeeded",
      vnetConfiguration: { internal: false, infrastructureSubnetId: ids.acaSubnet },
      defaultDomain: "kindmeadow-1a2b3c4d.westeurope.azurecontainerapps.io",
      staticIp: "20.1.2.3",
      appLogsConfiguration: {
        destination: "log-analytics",
        logAnalyticsConfiguration: { customerId: "3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f" },
      },
      zoneRedundant: true,
      workloadProfiles: [{ name: "Consumption", workloadProfileType: "Consumption" }],
    },
  }),
  resource(ids.containerApp, "Microsoft.App/containerApps", {
    identity: {
      type: "UserAssigned",
      userAssignedIdentities: {
        [ids.identity]: { principalId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", clientId: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e" },
      },
    },
    properties: {
      provisioningState: "Succeeded",
      managedEnvironmentId: ids.environment,
      environmentId: ids.environment,
      workloadProfileName: "Consumption",
      latestRevisionFqdn: "ca-orders--v42.kindmeadow-1a2b3c4d.westeurope.azurecontainerapps.io",
      configuration: {
        activeRevisionsMode: "Single",
        ingress: { external: true, targetPort: 8080, fqdn: "ca-orders.kindmeadow-1a2b3c4d.westeurope.azurecontainerapps.io" },
        registries: [{ server: "acrprodfx.azurecr.io", identity: ids.identity }],
        secrets: [
          { name: "sb-connection", keyVaultUrl: "https://kv-app-prod.vault.azure.net/secrets/sb-connection", identity: ids.identity },
        ],
      },
      template: {
        containers: [{ name: "orders", image: "acrprodfx.azurecr.io/orders:42", resources: { cpu: 0.5, memory: "1Gi" } }],
        scale: { minReplicas: 2, maxReplicas: 10 },
      },
    },
  }),
  {
    id: ids.agentPool,
    name: "npuser",
    type: "Microsoft.ContainerService/managedClusters/agentPools",
    properties: {
      count: 3,
      vmSize: "Standard_D8ds_v5",
      osType: "Linux",
      mode: "User",
      type: "VirtualMachineScaleSets",
      availabilityZones: ["1", "2", "3"],
      vnetSubnetID: ids.aksSubnet,
      podSubnetID: ids.podSubnet,
      orchestratorVersion: "1.30.4",
      nodeImageVersion: "AKSUbuntu-2204gen2containerd-202410.15.0",
      provisioningState: "Succeeded",
    },
  },
];

/** A PostgreSQL flexible server injected into a delegated subnet, with its private DNS zone; an Event Hubs namespace behind a private endpoint. */
export const data = [
  resource(ids.postgres, "Microsoft.DBforPostgreSQL/flexibleServers", {
    sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" },
    properties: {
      version: "16",
      state: "Ready",
      fullyQualifiedDomainName: "psql-orders.postgres.database.azure.com",
      storage: { storageSizeGB: 256, autoGrow: "Enabled" },
      network: {
        publicNetworkAccess: "Disabled",
        delegatedSubnetResourceId: ids.psqlSubnet,
        privateDnsZoneArmResourceId: ids.postgresZone,
      },
      highAvailability: { mode: "ZoneRedundant", state: "Healthy", standbyAvailabilityZone: "2" },
      availabilityZone: "1",
    },
  }),
  resource(
    ids.postgresZone,
    "Microsoft.Network/privateDnsZones",
    { properties: { numberOfRecordSets: 2, provisioningState: "Succeeded" } },
    "global",
  ),
  resource(ids.eventHubs, "Microsoft.EventHub/namespaces", {
    sku: { name: "Standard", tier: "Standard", capacity: 2 },
    identity: {
      type: "UserAssigned",
      userAssignedIdentities: {
        [ids.identity]: { principalId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", clientId: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e" },
      },
    },
    properties: {
      provisioningState: "Succeeded",
      status: "Active",
      serviceBusEndpoint: "https://evhns-telemetry.servicebus.windows.net:443/",
      metricId: "5b0c2f6e-3a71-4c2d-9e8f-1a2b3c4d5e6f:evhns-telemetry",
      zoneRedundant: true,
      kafkaEnabled: true,
      publicNetworkAccess: "Disabled",
      encryption: {
        keySource: "Microsoft.KeyVault",
        keyVaultProperties: [
          { keyName: "evh-cmk", keyVaultUri: "https://kv-app-prod.vault.azure.net", identity: { userAssignedIdentity: ids.identity } },
        ],
      },
      privateEndpointConnections: [
        {
          id: `${ids.eventHubs}/privateEndpointConnections/pe-evhns-conn`,
          name: "pe-evhns-conn",
          properties: {
            privateEndpoint: { id: ids.eventHubsEndpoint },
            privateLinkServiceConnectionState: { status: "Approved", description: "Auto-Approved" },
            provisioningState: "Succeeded",
          },
        },
      ],
    },
  }),
  resource(ids.eventHubsEndpoint, "Microsoft.Network/privateEndpoints", {
    properties: {
      provisioningState: "Succeeded",
      subnet: { id: ids.appsSubnet },
      privateLinkServiceConnections: [
        {
          id: `${ids.eventHubsEndpoint}/privateLinkServiceConnections/evhns`,
          name: "evhns",
          properties: {
            privateLinkServiceId: ids.eventHubs,
            groupIds: ["namespace"],
            privateLinkServiceConnectionState: { status: "Approved" },
          },
        },
      ],
      networkInterfaces: [{ id: ids.eventHubsEndpointNic }],
    },
  }),
];

/** A Logic App workflow with an integration account and an API connection; API Management injected into a subnet. */
export const integration = [
  resource(ids.workflow, "Microsoft.Logic/workflows", {
    identity: {
      type: "SystemAssigned",
      principalId: "4d5e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f",
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    },
    properties: {
      provisioningState: "Succeeded",
      state: "Enabled",
      version: "08584000000000000000",
      accessEndpoint: "https://prod-12.westeurope.logic.azure.com:443/workflows/0123456789abcdef0123456789abcdef",
      integrationAccount: { id: ids.integrationAccount, name: "ia-b2b", type: "Microsoft.Logic/integrationAccounts" },
      definition: {
        $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        contentVersion: "1.0.0.0",
        triggers: {},
        actions: {},
      },
      parameters: {
        $connections: {
          value: {
            servicebus: {
              connectionId: ids.connection,
              connectionName: "servicebus",
              id: "/subscriptions/5b0c2f6e-3a71-4c2d-9e8f-1a2b3c4d5e6f/providers/Microsoft.Web/locations/westeurope/managedApis/servicebus",
            },
          },
        },
      },
    },
  }),
  resource(ids.integrationAccount, "Microsoft.Logic/integrationAccounts", { sku: { name: "Standard" }, properties: { state: "Enabled" } }),
  resource(ids.connection, "Microsoft.Web/connections", {
    kind: "V1",
    properties: {
      displayName: "servicebus",
      statuses: [{ status: "Connected" }],
      api: {
        id: "/subscriptions/5b0c2f6e-3a71-4c2d-9e8f-1a2b3c4d5e6f/providers/Microsoft.Web/locations/westeurope/managedApis/servicebus",
        name: "servicebus",
        type: "Microsoft.Web/locations/managedApis",
      },
    },
  }),
  resource(ids.apim, "Microsoft.ApiManagement/service", {
    sku: { name: "Premium", capacity: 2 },
    zones: ["1", "2"],
    identity: {
      type: "UserAssigned",
      userAssignedIdentities: {
        [ids.identity]: { principalId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", clientId: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e" },
      },
    },
    properties: {
      provisioningState: "Succeeded",
      publisherEmail: "api@contoso.com",
      publisherName: "Contoso",
      gatewayUrl: "https://apim-prod.azure-api.net",
      platformVersion: "stv2",
      virtualNetworkType: "External",
      virtualNetworkConfiguration: { subnetResourceId: ids.apimSubnet },
      publicIpAddressId: ids.pipApim,
      hostnameConfigurations: [
        {
          type: "Proxy",
          hostName: "api.contoso.com",
          keyVaultId: "https://kv-app-prod.vault.azure.net/secrets/api-contoso-com",
          identityClientId: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
          negotiateClientCertificate: false,
        },
      ],
      publicIPAddresses: ["20.2.3.4"],
      privateIPAddresses: ["10.1.13.5"],
    },
  }),
];

/** An Azure OpenAI account with network rules, a customer storage account and a private endpoint; a Search service with a shared private link. */
export const ai = [
  resource(ids.openai, "Microsoft.CognitiveServices/accounts", {
    kind: "OpenAI",
    sku: { name: "S0" },
    identity: {
      type: "SystemAssigned",
      principalId: "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    },
    properties: {
      provisioningState: "Succeeded",
      endpoint: "https://cog-openai.openai.azure.com/",
      customSubDomainName: "cog-openai",
      publicNetworkAccess: "Disabled",
      networkAcls: {
        defaultAction: "Deny",
        virtualNetworkRules: [{ id: ids.appsSubnet, ignoreMissingVnetServiceEndpoint: false }],
        ipRules: [],
      },
      userOwnedStorage: [{ resourceId: ids.storage }],
      privateEndpointConnections: [
        {
          id: `${ids.openai}/privateEndpointConnections/pe-cog.5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b`,
          name: "pe-cog.5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
          properties: {
            privateEndpoint: { id: ids.openaiEndpoint },
            privateLinkServiceConnectionState: { status: "Approved", actionsRequired: "None" },
            groupIds: ["account"],
          },
        },
      ],
    },
  }),
  resource(ids.openaiEndpoint, "Microsoft.Network/privateEndpoints", {
    properties: {
      provisioningState: "Succeeded",
      subnet: { id: ids.appsSubnet },
      privateLinkServiceConnections: [
        {
          id: `${ids.openaiEndpoint}/privateLinkServiceConnections/cog`,
          name: "cog",
          properties: {
            privateLinkServiceId: ids.openai,
            groupIds: ["account"],
            privateLinkServiceConnectionState: { status: "Approved" },
          },
        },
      ],
    },
  }),
  resource(ids.storage, "Microsoft.Storage/storageAccounts", {
    kind: "StorageV2",
    sku: { name: "Standard_ZRS", tier: "Standard" },
    properties: { provisioningState: "Succeeded", minimumTlsVersion: "TLS1_2" },
  }),
  resource(ids.search, "Microsoft.Search/searchServices", {
    sku: { name: "standard" },
    identity: {
      type: "SystemAssigned",
      principalId: "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c",
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    },
    properties: {
      provisioningState: "succeeded",
      status: "running",
      replicaCount: 3,
      partitionCount: 1,
      hostingMode: "default",
      publicNetworkAccess: "disabled",
      networkRuleSet: { ipRules: [] },
      privateEndpointConnections: [
        {
          id: `${ids.search}/privateEndpointConnections/pe-srch.6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c`,
          name: "pe-srch.6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c",
          properties: {
            privateEndpoint: { id: ids.searchEndpoint },
            privateLinkServiceConnectionState: { status: "Approved", actionsRequired: "None" },
            groupId: "searchService",
            provisioningState: "Succeeded",
          },
        },
      ],
      // Read-only here (managed as child resources): the private links the service opens to its data.
      sharedPrivateLinkResources: [
        {
          id: `${ids.search}/sharedPrivateLinkResources/spl-blob`,
          name: "spl-blob",
          type: "Microsoft.Search/searchServices/sharedPrivateLinkResources",
          properties: {
            privateLinkResourceId: ids.storage,
            groupId: "blob",
            requestMessage: "indexer",
            status: "Approved",
            provisioningState: "Succeeded",
          },
        },
      ],
    },
  }),
];

/** A static web app with a linked Functions backend; a Front Door (Standard) profile with an origin group and an App Service origin. */
export const web = [
  resource(ids.staticSite, "Microsoft.Web/staticSites", {
    sku: { name: "Standard", tier: "Standard" },
    properties: {
      defaultHostname: "lively-sea-0a1b2c3d4.5.azurestaticapps.net",
      repositoryUrl: "https://github.com/contoso/portal",
      branch: "main",
      customDomains: [],
      provider: "GitHub",
      stagingEnvironmentPolicy: "Enabled",
      allowConfigFileUpdates: true,
      enterpriseGradeCdnStatus: "Disabled",
      privateEndpointConnections: [],
      // Read-only here (managed as child resources): the backends the site's APIs go to.
      linkedBackends: [
        { backendResourceId: ids.functionApp, region: "westeurope", createdOn: "2026-01-01T00:00:00Z", provisioningState: "Succeeded" },
      ],
    },
  }),
  resource(ids.functionApp, "Microsoft.Web/sites", {
    kind: "functionapp,linux",
    properties: {
      state: "Running",
      serverFarmId: ids.plan,
      defaultHostName: "func-portal-api.azurewebsites.net",
      hostNames: ["func-portal-api.azurewebsites.net"],
      httpsOnly: true,
    },
  }),
  resource(ids.webApp, "Microsoft.Web/sites", {
    kind: "app",
    properties: {
      state: "Running",
      serverFarmId: ids.plan,
      defaultHostName: "app-web-fx.azurewebsites.net",
      hostNames: ["app-web-fx.azurewebsites.net"],
      httpsOnly: true,
    },
  }),
  resource(
    ids.frontDoor,
    "Microsoft.Cdn/profiles",
    {
      sku: { name: "Standard_AzureFrontDoor" },
      kind: "frontdoor",
      properties: {
        provisioningState: "Succeeded",
        resourceState: "Active",
        frontDoorId: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
        originResponseTimeoutSeconds: 60,
      },
    },
    "Global",
  ),
  {
    id: ids.originGroup,
    name: "og-web",
    type: "Microsoft.Cdn/profiles/origingroups",
    properties: {
      loadBalancingSettings: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 },
      healthProbeSettings: { probePath: "/health", probeRequestType: "HEAD", probeProtocol: "Https", probeIntervalInSeconds: 100 },
      sessionAffinityState: "Disabled",
      provisioningState: "Succeeded",
      deploymentStatus: "NotStarted",
    },
  },
  {
    id: ids.origin,
    name: "app-web",
    type: "Microsoft.Cdn/profiles/origingroups/origins",
    properties: {
      originGroupName: "og-web",
      azureOrigin: { id: ids.webApp },
      hostName: "app-web-fx.azurewebsites.net",
      originHostHeader: "app-web-fx.azurewebsites.net",
      httpPort: 80,
      httpsPort: 443,
      priority: 1,
      weight: 1000,
      enabledState: "Enabled",
      enforceCertificateNameCheck: true,
      provisioningState: "Succeeded",
      deploymentStatus: "NotStarted",
    },
  },
];
