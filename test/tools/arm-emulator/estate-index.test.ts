import { describe, expect, it } from "vitest";

import { newestFirst, offeredApiVersions } from "../../../tools/arm-emulator/api-versions.js";
import { EstateIndex } from "../../../tools/arm-emulator/estate-index.js";
import { parseTypeFilter } from "../../../tools/arm-emulator/handlers/generic-list.js";
import { decodeSkipToken, encodeSkipToken } from "../../../tools/arm-emulator/paging.js";
import { ids, prodSub, smallEstate } from "./estate-fixture.js";

describe("EstateIndex", () => {
  const index = new EstateIndex(smallEstate());

  it("finds resources by id in any casing, embedded children included", () => {
    expect(index.resources.get(ids.site.toLowerCase())?.body.id).toBe(ids.site);
    const subnet = index.resources.get(ids.subnetApp.toLowerCase());
    expect(subnet?.body).toMatchObject({ name: "snet-app", type: "Microsoft.Network/virtualNetworks/subnets" });
    expect(index.resources.get(`${ids.nic}/ipConfigurations/ipconfig1`.toLowerCase())?.body.type).toBe(
      "Microsoft.Network/networkInterfaces/ipConfigurations",
    );
  });

  it("does not take references to other resources' children for embedded children", () => {
    // snet-data's ipConfigurations point at the NIC's child: that is the NIC's, not the subnet's.
    const vnetChildren = [...index.resources.keys()].filter((k) => k.startsWith(`${ids.vnet.toLowerCase()}/`));
    expect(vnetChildren).toEqual([ids.subnetApp.toLowerCase(), ids.subnetData.toLowerCase()]);
  });

  it("keeps an own entry over an embedded copy of the same child", () => {
    const estate = smallEstate();
    const own = {
      id: ids.subnetApp.toUpperCase(),
      name: "snet-app",
      type: "Microsoft.Network/virtualNetworks/subnets",
      properties: { own: true },
    };
    estate.subscriptions[0]?.resources.push(own);
    expect(new EstateIndex(estate).resources.get(ids.subnetApp.toLowerCase())?.body).toBe(own);
  });

  it("lists in /resources top-level resources and located children, not embedded ones", () => {
    const listed = index.subscriptions.get(prodSub)?.listed.map((r) => r.body.name);
    expect(listed).toEqual(["plan-web", "app-web", "app-api", "id-web", "sql-main", "orders", "users", "vnet-hub", "nic-vm1"]);
  });

  it("groups a subscription's top-level resources of one type across resource groups", () => {
    const sites = index.collections.get(`/subscriptions/${prodSub}/providers/microsoft.web/sites`);
    expect(sites?.map((r) => r.body.name)).toEqual(["app-web", "app-api"]);
  });

  it("derives resource groups with their first-seen casing and location", () => {
    expect(index.resourceGroupsOf(prodSub.toUpperCase()).map((g) => g.id)).toEqual([
      `/subscriptions/${prodSub}/resourceGroups/rg-web`,
      `/subscriptions/${prodSub}/resourceGroups/RG-Data`,
      `/subscriptions/${prodSub}/resourceGroups/rg-net`,
    ]);
  });
});

describe("api-versions", () => {
  it("sorts newest first, stable before preview on the same date", () => {
    expect(newestFirst(["2023-12-01", "2024-11-01-preview", "2024-04-01", "2024-04-01-preview"])).toEqual([
      "2024-11-01-preview",
      "2024-04-01",
      "2024-04-01-preview",
      "2023-12-01",
    ]);
  });

  it("uses the type's entry, else its nearest parent's, else one default", () => {
    const declared = { "microsoft.network/virtualnetworks": ["2023-09-01", "2024-05-01"] };
    expect(offeredApiVersions("Microsoft.Network/virtualNetworks/subnets", declared)).toEqual(["2024-05-01", "2023-09-01"]);
    expect(offeredApiVersions("Microsoft.Web/sites", declared)).toEqual(["2023-01-01"]);
  });
});

describe("list helpers", () => {
  it("round-trips skip tokens and refuses foreign ones", () => {
    expect(decodeSkipToken(encodeSkipToken(42))).toBe(42);
    expect(decodeSkipToken("not-a-token")).toBeUndefined();
  });

  it("parses resourceType filters, or-ed, case-insensitively", () => {
    expect(parseTypeFilter("resourceType eq 'Microsoft.Web/sites'")).toEqual(new Set(["microsoft.web/sites"]));
    expect(parseTypeFilter("ResourceType EQ 'A/b' or resourceType eq 'C/d'")).toEqual(new Set(["a/b", "c/d"]));
    expect(parseTypeFilter("location eq 'westeurope'")).toBeUndefined();
  });
});
