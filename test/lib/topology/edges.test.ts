import { describe, expect, it } from "vitest";

import { type EdgeSource, inferEdges } from "../../../lib/topology/edges.js";
import { canonicalKey } from "../../../lib/topology/ids.js";

const rg = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers";
const vnet = `${rg}/Microsoft.Network/virtualNetworks/vnet1`;
const subnet = `${vnet}/subnets/web`;
const nsg = `${rg}/Microsoft.Network/networkSecurityGroups/nsg1`;
const nic = `${rg}/Microsoft.Network/networkInterfaces/nic1`;
const vm = `${rg}/Microsoft.Compute/virtualMachines/vm1`;
const disk = `${rg}/Microsoft.Compute/disks/vm1-os`;
const pip = `${rg}/Microsoft.Network/publicIPAddresses/pip1`;
const uai = `${rg}/Microsoft.ManagedIdentity/userAssignedIdentities/id1`;

function res(id: string, type: string, extra: Record<string, unknown> = {}): EdgeSource {
  return { key: canonicalKey(id), id, type, name: id.split("/").at(-1), ...extra };
}
const k = canonicalKey;

function estate(): EdgeSource[] {
  return [
    res(vnet, "Microsoft.Network/virtualNetworks", {
      properties: {
        subnets: [{ id: subnet, name: "web", properties: { networkSecurityGroup: { id: nsg } } }],
      },
    }),
    res(subnet, "Microsoft.Network/virtualNetworks/subnets", {
      properties: {
        networkSecurityGroup: { id: nsg.toUpperCase() },
        ipConfigurations: [{ id: `${nic}/ipConfigurations/ipconfig1` }],
      },
    }),
    res(nsg, "Microsoft.Network/networkSecurityGroups", {
      properties: {
        securityRules: [{ id: `${nsg}/securityRules/allow-https` }],
        subnets: [{ id: subnet }],
        networkInterfaces: [{ id: nic }],
      },
    }),
    res(nic, "Microsoft.Network/networkInterfaces", {
      properties: {
        ipConfigurations: [
          {
            id: `${nic}/ipConfigurations/ipconfig1`,
            properties: { subnet: { id: subnet.replace("resourceGroups", "resourcegroups") }, publicIPAddress: { id: pip } },
          },
        ],
        virtualMachine: { id: vm },
      },
    }),
    res(pip, "Microsoft.Network/publicIPAddresses", {
      properties: { ipConfiguration: { id: `${nic}/ipConfigurations/ipconfig1` } },
    }),
    res(vm, "Microsoft.Compute/virtualMachines", {
      identity: { type: "UserAssigned", userAssignedIdentities: { [uai]: { principalId: "p" } } },
      properties: {
        storageProfile: { osDisk: { managedDisk: { id: disk } } },
        networkProfile: { networkInterfaces: [{ id: nic }] },
      },
    }),
    res(disk, "Microsoft.Compute/disks", { managedBy: vm }),
    res(uai, "Microsoft.ManagedIdentity/userAssignedIdentities", { properties: {} }),
  ];
}

const pairs = (edges: Array<{ from: string; to: string; relation: string }>) =>
  edges.map((e) => `${e.from.split("/").at(-1)} -${e.relation}-> ${e.to.split("/").at(-1)}`).sort();

describe("inferEdges", () => {
  it("draws each dependency once, in the dependent's direction, with its relation", () => {
    const { edges, external } = inferEdges(estate());
    expect(pairs(edges)).toEqual(
      [
        "web -contains-> vnet1",
        "web -security-> nsg1",
        "nic1 -network-> web",
        "nic1 -security-> nsg1",
        "nic1 -network-> pip1",
        "vm1 -network-> nic1",
        "vm1 -hosting-> vm1-os",
        "vm1 -identity-> id1",
      ].sort(),
    );
    expect(external).toEqual([]);
  });

  it("prefers the dependent's own payload for `via`, and names object keys exactly", () => {
    const { edges } = inferEdges(estate());
    const via = (from: string, to: string) => edges.find((e) => e.from === k(from) && e.to === k(to))?.via;
    expect(via(subnet, nsg)).toBe("properties.networkSecurityGroup.id");
    expect(via(nic, subnet)).toBe("properties.ipConfigurations[0].properties.subnet.id");
    expect(via(nic, nsg)).toBe("properties.networkInterfaces[0].id");
    expect(via(nic, pip)).toBe("properties.ipConfigurations[0].properties.publicIPAddress.id");
    expect(via(vm, disk)).toBe("properties.storageProfile.osDisk.managedDisk.id");
    expect(via(vm, uai)).toBe(`identity.userAssignedIdentities[${JSON.stringify(uai)}]`);
    expect(via(subnet, vnet)).toBe("id");
  });

  it("reverses back-references even when the dependent says nothing itself", () => {
    const only = estate();
    const vmNode = only.find((r) => r.key === k(vm))!;
    vmNode.properties = {};
    const { edges } = inferEdges(only);
    const e = edges.find((x) => x.from === k(vm) && x.to === k(disk));
    expect(e).toMatchObject({ relation: "hosting", via: "managedBy" });
    expect(edges.find((x) => x.from === k(vm) && x.to === k(nic))).toMatchObject({ via: "properties.virtualMachine.id" });
    expect(edges.some((x) => x.from === k(disk) || x.from === k(nsg))).toBe(false);
  });

  it("attributes an embedded node's references to that node, never to its parent", () => {
    const resources = estate();
    resources.find((r) => r.key === k(subnet))!.properties = {};
    const { edges } = inferEdges(resources);
    expect(edges.some((e) => e.from === k(vnet) && e.to !== k(vnet))).toBe(false);
    expect(edges.find((e) => e.from === k(subnet) && e.to === k(nsg))).toEqual({
      from: k(subnet),
      to: k(nsg),
      relation: "security",
      via: "properties.subnets[0].properties.networkSecurityGroup.id",
      direction: "writable",
    });
  });

  it("turns references to undiscovered resources into external entries, at the nearest node kind", () => {
    const other = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/Shared/providers";
    const site = res(`${rg}/Microsoft.Web/sites/app1`, "Microsoft.Web/sites", {
      properties: {
        serverFarmId: `${other}/Microsoft.Web/serverfarms/plan1`,
        virtualNetworkSubnetId: `${other}/Microsoft.Network/virtualNetworks/hub/subnets/apps`,
        nested: [{ deep: { ref: `${other}/Contoso.Widgets/widgets/w1/parts/p1` } }],
      },
    });
    const { edges, external } = inferEdges([...estate(), site]);
    expect(external.map((e) => [e.key, e.type])).toEqual([
      [k(`${other}/Contoso.Widgets/widgets/w1`), "Contoso.Widgets/widgets"],
      [k(`${other}/Microsoft.Network/virtualNetworks/hub/subnets/apps`), "Microsoft.Network/virtualNetworks/subnets"],
      [k(`${other}/Microsoft.Web/serverfarms/plan1`), "Microsoft.Web/serverfarms"],
    ]);
    expect(external[2]!.id).toBe(`${other}/Microsoft.Web/serverfarms/plan1`);
    const fromSite = edges.filter((e) => e.from === site.key).map((e) => [e.to.split("/").at(-1), e.relation, e.via]);
    expect(fromSite).toEqual(
      expect.arrayContaining([
        ["plan1", "hosting", "properties.serverFarmId"],
        ["apps", "network", "properties.virtualNetworkSubnetId"],
        ["w1", "reference", "properties.nested[0].deep.ref"],
      ]),
    );
    expect(fromSite).toHaveLength(3);
  });

  it("gives a child whose parent is missing an external parent, and ignores self references", () => {
    const db = res(`${rg}/Microsoft.Sql/servers/sql1/databases/db1`, "Microsoft.Sql/servers/databases", {
      properties: { self: `${rg}/Microsoft.Sql/servers/sql1/databases/db1` },
    });
    const { edges, external } = inferEdges([db]);
    expect(edges).toEqual([
      { from: db.key, to: k(`${rg}/Microsoft.Sql/servers/sql1`), relation: "contains", via: "id", direction: "containment" },
    ]);
    expect(external.map((e) => e.type)).toEqual(["Microsoft.Sql/servers"]);
  });

  it("is deterministic whatever the input order", () => {
    const a = inferEdges(estate());
    const b = inferEdges([...estate()].reverse());
    expect(b).toEqual(a);
  });
});
