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

  it("parseResourceId reads every string as splitting it into segments does (property, against that reading)", () => {
    // The reading parseResourceId gave before it scanned slash positions, kept as the reference.
    const bySplit = (id: string) => {
      let start = 0;
      let end = id.length;
      while (start < end && (id.charCodeAt(start) === 47 || id.charCodeAt(start) <= 32)) start++;
      while (end > start && (id.charCodeAt(end - 1) === 47 || id.charCodeAt(end - 1) <= 32)) end--;
      const segments = id.slice(start, end).split("/");
      if (segments.length < 2 || segments[0]!.toLowerCase() !== "subscriptions") return undefined;
      const subscriptionId = segments[1]!;
      let resourceGroup: string | undefined;
      let i = 2;
      if (segments[i]?.toLowerCase() === "resourcegroups") {
        resourceGroup = segments[i + 1];
        i += 2;
      }
      let provider: string | undefined;
      let typeStart = -1;
      let name = resourceGroup ?? subscriptionId;
      let type = "";
      while (i < segments.length) {
        if (segments[i]!.toLowerCase() === "providers" && segments[i + 1] !== undefined) {
          provider = segments[i + 1]!;
          type = provider;
          typeStart = i + 2;
          i += 2;
          continue;
        }
        const value = segments[i + 1];
        if (value === undefined) return undefined;
        if (typeStart >= 0) type += `/${segments[i]!}`;
        name = value;
        i += 2;
      }
      return { subscriptionId, resourceGroup, provider, type: provider === undefined ? "" : type, name };
    };
    const word = fc.constantFrom(
      "subscriptions",
      "SUBSCRIPTIONS",
      "resourceGroups",
      "resourcegroups",
      "providers",
      "Providers",
      "PROVIDERS",
      "providerss",
      "provider",
      "Microsoft.Network",
      "virtualNetworks",
      "vnet1",
      "subnets",
      "",
      " ",
      "x y",
      "İ",
      "\u212a",
      "a",
    );
    const segment = fc.oneof(word, fc.string({ maxLength: 4 }));
    // Mostly shaped like an id (subscription, maybe a group, pairs), so every branch is reached.
    const head = fc.tuple(
      fc.constantFrom("subscriptions", "Subscriptions", "x"),
      segment,
      fc.constantFrom("resourceGroups", "RESOURCEGROUPS", "providers", "y"),
    );
    const id = fc
      .tuple(fc.constantFrom("", "/", "//", " /", "\t"), head, fc.array(segment, { maxLength: 10 }), fc.constantFrom("", "/", "//", " "))
      .map(([lead, first, rest, trail]) => `${lead}${[...first, ...rest].join("/")}${trail}`);
    fc.assert(
      fc.property(id, (s) => {
        expect(parseResourceId(s)).toEqual(bySplit(s));
      }),
      { numRuns: 20000 },
    );
  });
});
