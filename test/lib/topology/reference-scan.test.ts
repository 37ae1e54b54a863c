import { describe, expect, it } from "vitest";

import { type EdgeSource, inferEdges } from "../../../lib/topology/edges.js";
import { canonicalKey } from "../../../lib/topology/ids.js";
import { ReferenceScans } from "../../../lib/topology/reference-scan.js";
import { sampleExport } from "../../support/sample-export.js";

const rg = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers";
const vnet = `${rg}/Microsoft.Network/virtualNetworks/vnet1`;
const subnet = `${vnet}/subnets/web`;
const nsg = `${rg}/Microsoft.Network/networkSecurityGroups/nsg1`;
const nic = `${rg}/Microsoft.Network/networkInterfaces/nic1`;
const agw = `${rg}/Microsoft.Network/applicationGateways/agw1`;
const site = `${rg}/Microsoft.Web/sites/app1`;

const res = (id: string, type: string, extra: Record<string, unknown> = {}): EdgeSource => ({
  key: canonicalKey(id),
  id,
  type,
  name: id.split("/").at(-1),
  ...extra,
});

/** Embedded nodes, embedded children that are not nodes, hidden-link keys and host names. */
function estate(): EdgeSource[] {
  return [
    res(vnet, "Microsoft.Network/virtualNetworks", {
      properties: { subnets: [{ id: subnet, name: "web", properties: { networkSecurityGroup: { id: nsg } } }] },
    }),
    res(subnet, "Microsoft.Network/virtualNetworks/subnets", { properties: { networkSecurityGroup: { id: nsg } } }),
    res(nsg, "Microsoft.Network/networkSecurityGroups", { properties: { subnets: [{ id: subnet }] } }),
    res(nic, "Microsoft.Network/networkInterfaces", {
      properties: { ipConfigurations: [{ id: `${nic}/ipConfigurations/ip1`, properties: { subnet: { id: subnet.toUpperCase() } } }] },
    }),
    res(site, "Microsoft.Web/sites", {
      tags: { [`hidden-link:${nsg}`]: "Resource" },
      properties: { defaultHostName: "app1.azurewebsites.net" },
    }),
    res(agw, "Microsoft.Network/applicationGateways", {
      properties: { backendAddressPools: [{ properties: { backendAddresses: [{ fqdn: "APP1.azurewebsites.net " }] } }] },
    }),
  ];
}

describe("ReferenceScans", () => {
  it("gives the same edges whether the resources were scanned as they arrived or at the end", async () => {
    for (const resources of [estate(), (await sampleExport()).resources]) {
      const scans = new ReferenceScans();
      for (const r of resources) scans.scan(r);
      expect(inferEdges(resources, scans)).toEqual(inferEdges(resources));
    }
  });

  it("resolves a scanned resource from its scan, without reading its payload again", () => {
    const resources = estate();
    const scans = new ReferenceScans();
    for (const r of resources) scans.scan(r);
    // What the site's payload said when it was scanned is what counts (which is why a resource
    // must not change once scanned): its hidden link to the NSG is still found.
    const holder = resources[4]!;
    delete holder.tags;
    const pair = (edges: { from: string; to: string }[]) => edges.some((e) => e.from === canonicalKey(nsg) && e.to === canonicalKey(site));
    expect(pair(inferEdges(resources, scans).edges)).toBe(true);
    expect(pair(inferEdges(resources).edges)).toBe(false);
  });

  it("leaves what an embedded node says to the node, and a host name resolves to the resource answering to it", () => {
    const edges = inferEdges(estate()).edges.map((e) => `${e.from.split("/").at(-1)} -> ${e.to.split("/").at(-1)} ${e.via}`);
    expect(edges).toContain("agw1 -> app1 properties.backendAddressPools[0].properties.backendAddresses[0].fqdn");
    // A hidden link names what the tagged resource watches: that resource depends on it (a rule).
    expect(edges).toContain(`nsg1 -> app1 tags[${JSON.stringify(`hidden-link:${nsg}`)}]`);
    // The vnet's embedded copy of the subnet names the NSG; that is the subnet's reference, not the vnet's.
    expect(edges.filter((e) => e.startsWith("vnet1 -> nsg1"))).toEqual([]);
    expect(edges).toContain("web -> vnet1 id");
  });
});
