import { describe, expect, it } from "vitest";

import { ancestorKeys, canonicalKey, looksLikeArmId, parseResourceId } from "../../../lib/topology/ids.js";

const nic = "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Network/networkInterfaces/nic1";

describe("resource ids", () => {
  it("canonical keys ignore case and trailing slashes", () => {
    expect(canonicalKey(`${nic}/`)).toBe(canonicalKey(nic.toLowerCase().replace("resourcegroups", "resourceGroups")));
    expect(canonicalKey(" /Subscriptions/A/ ")).toBe("/subscriptions/a");
  });

  it("parses subscription, group, provider, type and name, children and extensions included", () => {
    expect(parseResourceId(`${nic}/ipConfigurations/ip1`)).toEqual({
      subscriptionId: "S1",
      resourceGroup: "RG",
      provider: "Microsoft.Network",
      type: "Microsoft.Network/networkInterfaces/ipConfigurations",
      name: "ip1",
    });
    expect(parseResourceId(`${nic}/providers/Microsoft.Insights/diagnosticSettings/d1`)?.type).toBe(
      "Microsoft.Insights/diagnosticSettings",
    );
    expect(parseResourceId("/subscriptions/S1")).toMatchObject({ type: "", name: "S1" });
    expect(parseResourceId("/resourceGroups/x")).toBeUndefined();
    expect(parseResourceId(`${nic}/ipConfigurations`)).toBeUndefined();
  });

  it("lists ancestors nearest first, never the resource group", () => {
    const key = canonicalKey(`${nic}/ipConfigurations/ip1`);
    expect(ancestorKeys(key)).toEqual([canonicalKey(nic)]);
    expect(ancestorKeys(canonicalKey(nic))).toEqual([]);
    expect(ancestorKeys(canonicalKey(`${nic}/providers/Microsoft.Insights/diagnosticSettings/d1`))).toEqual([
      canonicalKey(nic),
    ]);
  });

  it("recognises whole ARM ids only", () => {
    expect(looksLikeArmId(nic)).toBe(true);
    expect(looksLikeArmId(`/Subscriptions/S/Providers/Microsoft.Compute/Locations/westus`)).toBe(true);
    expect(looksLikeArmId(`see ${nic}`)).toBe(false);
    expect(looksLikeArmId(`${nic} trailing`)).toBe(false);
    expect(looksLikeArmId("/subscriptions/S/resourceGroups")).toBe(false);
    expect(looksLikeArmId("https://x/subscriptions/S")).toBe(false);
  });
});
