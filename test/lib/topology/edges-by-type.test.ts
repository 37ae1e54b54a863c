import { describe, expect, it } from "vitest";

import { type EdgeSource, inferEdges } from "../../../lib/topology/edges.js";
import { exportSchema } from "../../../lib/topology/export-format.js";
import { canonicalKey } from "../../../lib/topology/ids.js";
import { exportFromPayloads } from "../../../tools/estates/offline-export.js";
import * as shapes from "./azure-shapes.js";

/** The fixture payloads as one export, built the way discovery builds one (normalized, subnets lifted). */
function shapesExport() {
  const bySubscription = new Map<string, unknown[]>();
  for (const r of [
    ...shapes.networks,
    ...shapes.edge,
    ...shapes.privateLink,
    ...shapes.placement,
    ...shapes.containers,
    ...shapes.data,
    ...shapes.integration,
    ...shapes.ai,
    ...shapes.web,
  ]) {
    const subscriptionId = r.id.split("/")[2]!;
    bySubscription.set(subscriptionId, [...(bySubscription.get(subscriptionId) ?? []), r]);
  }
  return exportFromPayloads(
    { subscriptions: [...bySubscription].map(([subscriptionId, resources]) => ({ subscriptionId, resources })) },
    { runId: "azure-shapes" },
  );
}

const name = (key: string) => key.split("/").at(-1)!;
const line = (e: { from: string; to: string; relation: string; via: string; direction?: string }) =>
  `${name(e.from)} -[${e.relation}]-> ${name(e.to)} via ${e.via.replace(/userAssignedIdentities\["[^"]*"\]/, "userAssignedIdentities[…]")} (${e.direction})`;

describe("edge direction on types the sample estate does not have", () => {
  const exported = shapesExport();

  it("gives each fixture its golden edges, direction and evidence included", () => {
    // Read each line as: from depends on to, because of `via` (in the holder's payload), decided by (direction).
    expect(exported.edges.map(line).sort()).toEqual(
      [
        "afwp-hub -[network]-> ipg-onprem via properties.firewallPolicies[0].id (read-only mirror)",
        "afwp-hub -[security]-> afwp-base via properties.basePolicy.id (writable)",
        "apim-prod -[identity]-> id-orders via identity.userAssignedIdentities[…] (writable)",
        "apim-prod -[network]-> pip-apim via properties.publicIpAddressId (writable)",
        "apim-prod -[network]-> snet-apim via properties.virtualNetworkConfiguration.subnetResourceId (writable)",
        "app-web -[contains]-> og-web via id (containment)",
        "app-web -[reference]-> app-web-fx via properties.azureOrigin.id (writable)",
        "app-web-fx -[hosting]-> asp-portal via properties.serverFarmId (writable)",
        "azfw-hub -[network]-> azurefirewallsubnet via properties.ipConfigurations[0].properties.subnet.id (writable)",
        "azfw-hub -[network]-> ipg-onprem via properties.ipGroups[0].id (rule)",
        "azfw-hub -[network]-> pip-fw via properties.ipConfigurations[0].properties.publicIPAddress.id (writable)",
        "azfw-hub -[security]-> afwp-hub via properties.firewallPolicy.id (writable)",
        "azurebastionsubnet -[contains]-> vnet-hub via id (containment)",
        "azurefirewallsubnet -[contains]-> vnet-hub via id (containment)",
        "bas-hub -[network]-> azurebastionsubnet via properties.ipConfigurations[0].properties.subnet.id (writable)",
        "bas-hub -[network]-> pip-bas via properties.ipConfigurations[0].properties.publicIPAddress.id (writable)",
        "ca-orders -[hosting]-> cae-prod via properties.managedEnvironmentId (writable)",
        "ca-orders -[identity]-> id-orders via properties.configuration.registries[0].identity (writable)",
        "cae-prod -[network]-> snet-aca via properties.vnetConfiguration.infrastructureSubnetId (writable)",
        "cog-openai -[data]-> staidocs via properties.userOwnedStorage[0].resourceId (writable)",
        "cog-openai -[network]-> snet-apps via properties.networkAcls.virtualNetworkRules[0].id (writable)",
        "evhns-telemetry -[identity]-> id-orders via properties.encryption.keyVaultProperties[0].identity.userAssignedIdentity (writable)",
        "func-portal-api -[hosting]-> asp-portal via properties.serverFarmId (writable)",
        "gatewaysubnet -[contains]-> vnet-hub via id (containment)",
        "lb-internal -[network]-> snet-apps via properties.frontendIPConfigurations[0].properties.subnet.id (writable)",
        "logic-orders -[reference]-> ia-b2b via properties.integrationAccount.id (writable)",
        "logic-orders -[reference]-> servicebus via properties.parameters.$connections.value.servicebus.connectionId (writable)",
        "ng-egress -[network]-> pip-nat via properties.publicIpAddresses[0].id (writable)",
        "npuser -[contains]-> aks-fx via id (containment)",
        "npuser -[network]-> snet-aks via properties.vnetSubnetID (writable)",
        "npuser -[network]-> snet-pods via properties.podSubnetID (writable)",
        "og-web -[contains]-> afd-prod via id (containment)",
        "pe-cog -[data]-> cog-openai via properties.privateLinkServiceConnections[0].properties.privateLinkServiceId (writable)",
        "pe-cog -[network]-> snet-apps via properties.subnet.id (writable)",
        "pe-consumer -[data]-> pls-api via properties.privateEndpointConnections[0].properties.privateEndpoint.id (read-only mirror)",
        "pe-evhns -[data]-> evhns-telemetry via properties.privateLinkServiceConnections[0].properties.privateLinkServiceId (writable)",
        "pe-evhns -[network]-> pe-evhns.nic.2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d via properties.networkInterfaces[0].id (rule)",
        "pe-evhns -[network]-> snet-apps via properties.subnet.id (writable)",
        "pe-srch -[data]-> srch-docs via properties.privateEndpointConnections[0].properties.privateEndpoint.id (read-only mirror)",
        "pip-fw -[security]-> ddos-hub via properties.publicIPAddresses[0].id (read-only mirror)",
        "pls-api -[network]-> lb-internal via properties.loadBalancerFrontendIpConfigurations[0].id (writable)",
        "pls-api -[network]-> pls-api.nic.7f3e9a2b-1c4d-4e5f-8a9b-0c1d2e3f4a5b via properties.networkInterfaces[0].id (rule)",
        "pls-api -[network]-> snet-apps via properties.ipConfigurations[0].properties.subnet.id (writable)",
        "pls-api.nic.7f3e9a2b-1c4d-4e5f-8a9b-0c1d2e3f4a5b -[network]-> snet-apps via properties.ipConfigurations[0].properties.subnet.id (writable)",
        "psql-orders -[network]-> psql-orders.private.postgres.database.azure.com via properties.network.privateDnsZoneArmResourceId (writable)",
        "psql-orders -[network]-> snet-psql via properties.network.delegatedSubnetResourceId (writable)",
        "snet-aca -[contains]-> vnet-spoke via id (containment)",
        "snet-aks -[contains]-> vnet-spoke via id (containment)",
        "snet-apim -[contains]-> vnet-spoke via id (containment)",
        "snet-apps -[contains]-> vnet-hub via id (containment)",
        "snet-apps -[network]-> ng-egress via properties.natGateway.id (writable)",
        "snet-pods -[contains]-> vnet-spoke via id (containment)",
        "snet-psql -[contains]-> vnet-spoke via id (containment)",
        "srch-docs -[data]-> staidocs via properties.sharedPrivateLinkResources[0].properties.privateLinkResourceId (rule)",
        "stapp-portal -[reference]-> func-portal-api via properties.linkedBackends[0].backendResourceId (rule)",
        "vgw-hub -[network]-> gatewaysubnet via properties.ipConfigurations[0].properties.subnet.id (writable)",
        "vgw-hub -[network]-> pip-vgw via properties.ipConfigurations[0].properties.publicIPAddress.id (writable)",
        "vm-sql-1 -[hosting]-> ppg-sql via properties.proximityPlacementGroup.id (writable)",
        "vmss-batch -[hosting]-> ppg-sql via properties.proximityPlacementGroup.id (writable)",
        "vnet-hub -[reference]-> vnet-spoke via properties.virtualNetworkPeerings[0].properties.remoteVirtualNetwork.id (inferred)",
        "vnet-hub -[security]-> ddos-hub via properties.ddosProtectionPlan.id (writable)",
        "vnet-spoke -[security]-> ddos-hub via properties.virtualNetworks[1].id (read-only mirror)",
      ].sort(),
    );
    expect(exported.external.map((e) => name(e.key)).sort()).toEqual([
      "aks-fx",
      "asp-portal",
      "pe-consumer",
      "pe-evhns.nic.2b3c4d5e-6f70-4a1b-8c2d-3e4f5a6b7c8d",
      "pe-srch",
      "pip-apim",
    ]);
  });

  it("draws what a read-only listing names as depending on the holder, never the other way", () => {
    const from = (holder: string) => exported.edges.filter((e) => e.from === canonicalKey(holder)).map((e) => name(e.to));
    // A DDoS plan lists the networks and public IPs it protects; it depends on none of them.
    expect(from(shapes.ids.ddos)).toEqual([]);
    // An IP group lists the firewalls and policies that use it; a NAT gateway its subnets.
    expect(from(shapes.ids.ipGroup)).toEqual([]);
    expect(from(shapes.ids.nat)).toEqual(["pip-nat"]);
    expect(from(shapes.ids.ppg)).toEqual([]);
  });

  it("is a valid export, every edge with its evidence", () => {
    expect(exportSchema.safeParse(exported).success).toBe(true);
    expect(exported.edges.every((e) => e.direction !== undefined)).toBe(true);
  });
});

describe("mutual references", () => {
  const rg = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers";
  const res = (id: string, type: string, properties: Record<string, unknown>): EdgeSource => ({
    key: canonicalKey(id),
    id,
    type,
    name: name(id),
    properties,
  });

  it("collapse to one edge in the direction the writable side gives", () => {
    const subnet = `${rg}/Microsoft.Network/virtualNetworks/v/subnets/s`;
    const nsg = `${rg}/Microsoft.Network/networkSecurityGroups/nsg`;
    const { edges } = inferEdges([
      res(subnet, "Microsoft.Network/virtualNetworks/subnets", { networkSecurityGroup: { id: nsg } }),
      res(nsg, "Microsoft.Network/networkSecurityGroups", { subnets: [{ id: subnet }] }),
    ]);
    const between = edges.filter((e) => e.to !== canonicalKey(`${rg}/Microsoft.Network/virtualNetworks/v`));
    expect(between.map(line)).toEqual(["s -[security]-> nsg via properties.networkSecurityGroup.id (writable)"]);
  });

  it("keep one `reference` edge, flagged inferred, when no metadata covers either side", () => {
    // Types no installed package describes: the side naming the other singly is taken as the dependent.
    const widget = `${rg}/Contoso.Widgets/widgets/w1`;
    const gadget = `${rg}/Contoso.Widgets/gadgets/g1`;
    const { edges } = inferEdges([
      res(gadget, "Contoso.Widgets/gadgets", { widgets: [{ id: widget }] }),
      res(widget, "Contoso.Widgets/widgets", { gadget: { id: gadget } }),
    ]);
    expect(edges.map(line)).toEqual(["w1 -[reference]-> g1 via properties.gadget.id (inferred)"]);
  });

  it("leave a one-way reference from an uncovered type as today, flagged inferred", () => {
    const widget = `${rg}/Contoso.Widgets/widgets/w1`;
    const vault = `${rg}/Microsoft.KeyVault/vaults/kv1`;
    const { edges } = inferEdges([res(widget, "Contoso.Widgets/widgets", { vault: { id: vault } })]);
    expect(edges.map(line)).toEqual(["w1 -[security]-> kv1 via properties.vault.id (inferred)"]);
  });
});

describe("read-only paths that name what the holder itself uses", () => {
  const rg = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers";
  const res = (id: string, type: string, properties: Record<string, unknown>): EdgeSource => ({
    key: canonicalKey(id),
    id,
    type,
    name: name(id),
    properties,
  });

  it("keep the holder as the dependent (rule), against the read-only mirror reading", () => {
    const ase = `${rg}/Microsoft.Web/hostingEnvironments/ase-prod`;
    const cert = `${rg}/Microsoft.Web/certificates/wildcard-contoso`;
    const vault = `${rg}/Microsoft.KeyVault/vaults/kv-certs`;
    const frontDoor = `${rg}/Microsoft.Network/frontDoors/fd-classic`;
    const { edges } = inferEdges([
      // Microsoft.Web/certificates reports the environment it lives in read-only.
      res(cert, "Microsoft.Web/certificates", {
        hostingEnvironmentProfile: { id: ase, name: "ase-prod", type: "Microsoft.Web/hostingEnvironments" },
        keyVaultId: vault,
        keyVaultSecretName: "wildcard",
      }),
      // A classic Front Door's custom HTTPS (read-only: set through an action) names its certificate's vault.
      res(frontDoor, "Microsoft.Network/frontDoors", {
        frontendEndpoints: [
          {
            id: `${frontDoor}/frontendEndpoints/www`,
            name: "www",
            properties: {
              hostName: "www.contoso.com",
              customHttpsProvisioningState: "Enabled",
              customHttpsConfiguration: {
                certificateSource: "AzureKeyVault",
                keyVaultCertificateSourceParameters: { vault: { id: vault }, secretName: "www", secretVersion: "1" },
                protocolType: "ServerNameIndication",
              },
            },
          },
        ],
      }),
    ]);
    expect(edges.map(line).sort()).toEqual(
      [
        "fd-classic -[security]-> kv-certs via properties.frontendEndpoints[0].properties.customHttpsConfiguration.keyVaultCertificateSourceParameters.vault.id (rule)",
        "wildcard-contoso -[hosting]-> ase-prod via properties.hostingEnvironmentProfile.id (rule)",
        "wildcard-contoso -[security]-> kv-certs via properties.keyVaultId (writable)",
      ].sort(),
    );
  });
});
