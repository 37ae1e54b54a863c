import { describe, expect, it } from "vitest";

import { valueAt, valuesAt } from "../../../lib/topology/property-path.js";

describe("valuesAt", () => {
  const doc = { zones: ["1", "2"], properties: { pools: [{ count: 3, zones: ["1"] }, { count: 1 }, null], flag: false, nil: null } };

  it("reads plain paths, indices and wildcards, with the concrete path of each value", () => {
    expect(valuesAt(doc, "zones")).toEqual([{ path: "zones", value: ["1", "2"] }]);
    expect(valuesAt(doc, "zones[1]")).toEqual([{ path: "zones[1]", value: "2" }]);
    expect(valuesAt(doc, "properties.pools[*].count")).toEqual([
      { path: "properties.pools[0].count", value: 3 },
      { path: "properties.pools[1].count", value: 1 },
    ]);
    expect(valuesAt(doc, "properties.pools[*].zones[*]")).toEqual([{ path: "properties.pools[0].zones[0]", value: "1" }]);
    expect(valuesAt(doc, "properties.flag")).toEqual([{ path: "properties.flag", value: false }]);
    expect(valuesAt(doc, "properties.nil")).toEqual([{ path: "properties.nil", value: null }]);
  });

  it("finds nothing where the path leads nowhere, without inventing values", () => {
    expect(valuesAt(doc, "properties.missing.deeper")).toEqual([]);
    expect(valuesAt(doc, "zones.length")).toEqual([]);
    expect(valuesAt(doc, "zones[5]")).toEqual([]);
    expect(valuesAt(doc, "properties.flag[*]")).toEqual([]);
    expect(valuesAt({ toString: 1 }, "constructor")).toEqual([]);
    expect(valueAt(doc, "properties.pools[0].count")).toBe(3);
    expect(() => valuesAt(doc, "a[b]")).toThrow(RangeError);
  });
});
