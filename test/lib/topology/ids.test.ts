import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { ancestorKeys, canonicalKey, keyBelow, looksLikeArmId, parseResourceId } from "../../../lib/topology/ids.js";

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
    expect(ancestorKeys(canonicalKey(`${nic}/providers/Microsoft.Insights/diagnosticSettings/d1`))).toEqual([canonicalKey(nic)]);
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

/** ancestorKeys as first written, over split segments: the reference the faster one must match. */
function ancestorKeysBySplit(key: string): string[] {
  const segments = key.split("/");
  const providersAt = segments.lastIndexOf("providers");
  if (providersAt < 0) return [];
  const topEnd = providersAt + 4;
  const out: string[] = [];
  for (let end = segments.length - 2; end >= topEnd; end -= 2) out.push(segments.slice(0, end).join("/"));
  if (out.length === 0 && segments.lastIndexOf("providers", providersAt - 1) > 0) out.push(segments.slice(0, providersAt).join("/"));
  return out;
}

describe("ancestorKeys", () => {
  it("gives what splitting the key into segments gives, for keys of any shape", () => {
    const segment = fc.constantFrom(
      "",
      "providers",
      "Providers",
      "providersx",
      "subscriptions",
      "s1",
      "microsoft.network",
      "vnets",
      "v1",
      "subnets",
      "a",
    );
    const key = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 14 })).map(([lead, parts]) => `${lead ? "/" : ""}${parts.join("/")}`);
    fc.assert(
      fc.property(key, (k) => {
        expect(ancestorKeys(k)).toEqual(ancestorKeysBySplit(k));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("keyBelow", () => {
  it("is the canonical key when it lies below the other key, whatever the id's case, spaces and slashes", () => {
    const part = fc.constantFrom("", "/", "/a", "/A", "/b", " ", "İ", "K", "/subscriptions", "/S1");
    const of = fc.array(fc.constantFrom("/a", "/subscriptions", "/s1", "/b"), { minLength: 1, maxLength: 3 }).map((p) => p.join(""));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), of, (parts, key) => {
        const id = parts.join("");
        const k = canonicalKey(id);
        expect(keyBelow(id, key)).toBe(k.length > key.length && k[key.length] === "/" && k.startsWith(key) ? k : undefined);
      }),
      { numRuns: 5000 },
    );
  });
});
