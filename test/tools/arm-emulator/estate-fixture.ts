import type { ArmResource, Estate } from "../../../tools/estates/schema.js";

/** The first subscription of the small test estate: web, data and network groups. */
export const prodSub = "11111111-1111-1111-1111-111111111111";
/** The second subscription: one storage account in its own group. */
export const devSub = "22222222-2222-2222-2222-222222222222";

const web = `/subscriptions/${prodSub}/resourceGroups/rg-web`;
// Real payloads mix resourceGroups and resourcegroups.
const data = `/subscriptions/${prodSub}/resourcegroups/RG-Data`;
const net = `/subscriptions/${prodSub}/resourceGroups/rg-net`;
const devRg = `/subscriptions/${devSub}/resourceGroups/rg-dev`;

/** Ids the tests look things up by. */
export const ids = {
  plan: `${web}/providers/Microsoft.Web/serverfarms/plan-web`,
  site: `${web}/providers/Microsoft.Web/sites/app-web`,
  api: `${web}/providers/Microsoft.Web/sites/app-api`,
  identity: `${web}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-web`,
  sqlServer: `${data}/providers/Microsoft.Sql/servers/sql-main`,
  dbOrders: `${data}/providers/Microsoft.Sql/servers/sql-main/databases/orders`,
  dbUsers: `${data}/providers/Microsoft.Sql/servers/sql-main/databases/users`,
  vnet: `${net}/providers/Microsoft.Network/virtualNetworks/vnet-hub`,
  subnetApp: `${net}/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-app`,
  subnetData: `${net}/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-data`,
  nic: `${net}/providers/Microsoft.Network/networkInterfaces/nic-vm1`,
  devStorage: `${devRg}/providers/Microsoft.Storage/storageAccounts/stdev001`,
};

/** A small two-subscription estate built from the shapes of real ARM GET payloads. */
export function smallEstate(): Estate {
  const prod: ArmResource[] = [
    {
      id: ids.plan,
      name: "plan-web",
      type: "Microsoft.Web/serverfarms",
      kind: "app",
      location: "westeurope",
      properties: { status: "Ready", maximumNumberOfWorkers: 20, numberOfSites: 2, reserved: false, provisioningState: "Succeeded" },
      sku: { name: "P1v3", tier: "PremiumV3", size: "P1v3", family: "Pv3", capacity: 2 },
      tags: { env: "prod" },
    },
    ...(["app-web", "app-api"] as const).map((name) => ({
      id: name === "app-web" ? ids.site : ids.api,
      name,
      type: "Microsoft.Web/sites",
      kind: "app",
      location: "westeurope",
      tags: { env: "prod", tier: name },
      identity: {
        type: "UserAssigned",
        userAssignedIdentities: { [ids.identity]: { principalId: "25cc773c-7f05-40fc-a104-32d2300754ad" } },
      },
      properties: {
        state: "Running",
        hostNames: [`${name}.azurewebsites.net`],
        // References often differ in case from the resource they point to.
        serverFarmId: ids.plan.replace("serverfarms", "serverFarms"),
        virtualNetworkSubnetId: ids.subnetApp,
        siteConfig: { numberOfWorkers: 1, linuxFxVersion: "NODE|20-lts" },
        provisioningState: "Succeeded",
      },
    })),
    {
      id: ids.identity,
      name: "id-web",
      type: "Microsoft.ManagedIdentity/userAssignedIdentities",
      location: "westeurope",
      tags: {},
      properties: {
        clientId: "4024ab25-56a8-4370-aea6-6389221caf29",
        principalId: "25cc773c-7f05-40fc-a104-32d2300754ad",
        tenantId: "b6c948ef-f6b5-4384-8354-da3a15eca969",
      },
    },
    {
      id: ids.sqlServer,
      name: "sql-main",
      type: "Microsoft.Sql/servers",
      kind: "v12.0",
      location: "westeurope",
      tags: { env: "prod" },
      properties: {
        fullyQualifiedDomainName: "sql-main.database.windows.net",
        administratorLogin: "dummylogin",
        version: "12.0",
        state: "Ready",
        publicNetworkAccess: "Disabled",
      },
    },
    ...(["orders", "users"] as const).map((name) => ({
      id: name === "orders" ? ids.dbOrders : ids.dbUsers,
      name,
      type: "Microsoft.Sql/servers/databases",
      kind: "v12.0,user,vcore",
      location: "westeurope",
      sku: { name: "GP_Gen5", tier: "GeneralPurpose", capacity: 2 },
      properties: { collation: "SQL_Latin1_General_CP1_CI_AS", status: "Online", maxSizeBytes: 34359738368, zoneRedundant: false },
    })),
    {
      id: ids.vnet,
      name: "vnet-hub",
      type: "Microsoft.Network/virtualNetworks",
      location: "westeurope",
      properties: {
        addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
        provisioningState: "Succeeded",
        subnets: [
          {
            name: "snet-app",
            id: ids.subnetApp,
            properties: { addressPrefix: "10.0.1.0/24", provisioningState: "Succeeded" },
          },
          {
            name: "snet-data",
            id: ids.subnetData,
            properties: {
              addressPrefix: "10.0.2.0/24",
              ipConfigurations: [{ id: `${ids.nic}/ipConfigurations/ipconfig1` }],
              provisioningState: "Succeeded",
            },
          },
        ],
        virtualNetworkPeerings: [],
      },
    },
    {
      id: ids.nic,
      name: "nic-vm1",
      type: "Microsoft.Network/networkInterfaces",
      location: "westeurope",
      properties: {
        ipConfigurations: [
          {
            name: "ipconfig1",
            id: `${ids.nic}/ipConfigurations/ipconfig1`,
            properties: { primary: true, privateIPAddress: "10.0.2.4", subnet: { id: ids.subnetData } },
          },
        ],
        provisioningState: "Succeeded",
      },
    },
  ];
  const dev: ArmResource[] = [
    {
      id: ids.devStorage,
      name: "stdev001",
      type: "Microsoft.Storage/storageAccounts",
      kind: "StorageV2",
      location: "northeurope",
      sku: { name: "Standard_LRS", tier: "Standard" },
      properties: { minimumTlsVersion: "TLS1_2", supportsHttpsTrafficOnly: true, provisioningState: "Succeeded" },
    },
  ];
  return {
    subscriptions: [
      { subscriptionId: prodSub, displayName: "prod", resources: prod },
      { subscriptionId: devSub, displayName: "dev", resources: dev },
    ],
    apiVersions: {
      "Microsoft.Web/sites": ["2023-12-01", "2024-11-01-preview", "2024-04-01"],
      "microsoft.network/virtualNetworks": ["2024-05-01", "2023-09-01"],
      "Microsoft.Sql/servers": ["2023-08-01", "2021-11-01"],
    },
  };
}

/** An estate of `count` public IPs over two groups of one subscription, for paging. */
export function manyResources(count: number): Estate {
  return {
    subscriptions: [
      {
        subscriptionId: prodSub,
        displayName: "prod",
        resources: Array.from({ length: count }, (_, i) => ({
          id: `/subscriptions/${prodSub}/resourceGroups/rg-${i % 2}/providers/Microsoft.Network/publicIPAddresses/pip-${i}`,
          name: `pip-${i}`,
          type: "Microsoft.Network/publicIPAddresses",
          location: "westeurope",
          sku: { name: "Standard", tier: "Regional" },
          properties: { publicIPAllocationMethod: "Static", ipAddress: `20.0.0.${i}`, provisioningState: "Succeeded" },
        })),
      },
    ],
  };
}
