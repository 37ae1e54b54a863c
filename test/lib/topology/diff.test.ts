import { describe, expect, it } from "vitest";

import { changedPaths, diffExports, volatileFields } from "../../../lib/topology/diff.js";
import type { ExportResource } from "../../../lib/topology/export-format.js";
import { sampleExport } from "../../support/sample-export.js";
import { keyOf } from "./sample-keys.js";
import { k, nameOf, smallExport, thing } from "./small-graphs.js";

describe("changedPaths", () => {
  it("names every changed leaf, added and removed key and array slot", () => {
    const before = { properties: { sku: { capacity: 2 }, list: [1, 2, 3], gone: true, same: "x" }, tags: { env: "prod" } };
    const after = {
      properties: { sku: { capacity: 3 }, list: [1, 5], same: "x", added: { deep: 1 } },
      tags: { env: "prod", "cost-center": "1" },
    };
    expect(changedPaths(before, after)).toEqual([
      "properties.sku.capacity",
      "properties.list[1]",
      "properties.list[2]",
      "properties.gone",
      "properties.added",
      'tags["cost-center"]',
    ]);
  });

  it("ignores volatile fields at any depth and ARM id casing", () => {
    const id = `${k("vnet")}/subnets/a`;
    const before = {
      etag: 'W/"1"',
      properties: { provisioningState: "Updating", subnets: [{ id, etag: "1", properties: { provisioningState: "Updating" } }] },
      systemData: { lastModifiedAt: "a" },
    };
    const after = {
      etag: 'W/"2"',
      properties: {
        provisioningState: "Succeeded",
        subnets: [
          { id: id.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"), etag: "2", properties: { provisioningState: "Succeeded" } },
        ],
      },
      systemData: { lastModifiedAt: "b" },
    };
    expect(changedPaths(before, after)).toEqual([]);
    // Plain strings compare exactly.
    expect(changedPaths({ name: "Web" }, { name: "web" })).toEqual(["name"]);
    // Types that differ are a change at that path.
    expect(changedPaths({ a: [1] }, { a: { 0: 1 } })).toEqual(["a"]);
    // Ignoring nothing sees the etag.
    expect(changedPaths({ etag: "1" }, { etag: "2" }, new Set())).toEqual(["etag"]);
    expect(volatileFields).toEqual(["etag", "provisioningState", "stale", "systemData", "changedTime"]);
  });
});

describe("diffExports", () => {
  it("finds added, removed and changed resources and added and removed edges", () => {
    const before = smallExport(
      ["a", "b", "c"],
      [
        ["a", "b", "hosting"],
        ["b", "c", "network"],
      ],
      [thing("b", { sku: { capacity: 1 }, etag: "1" })],
    );
    const after = smallExport(
      ["a", "b", "d"],
      [
        ["a", "b", "hosting"],
        ["a", "d", "data"],
      ],
      [thing("b", { sku: { capacity: 2 }, etag: "2", stale: true }), thing("a", { tags: { env: "prod" } })],
    );
    // The same dependency under another via is no change.
    after.edges[0]!.via = "properties.elsewhere";
    const diff = diffExports(before, after);
    expect(diff.resources.added.map((r) => r.name)).toEqual(["d"]);
    expect(diff.resources.removed.map((r) => r.name)).toEqual(["c"]);
    expect(diff.resources.changed).toEqual([
      { key: k("a"), type: "Test.NS/things", name: "a", paths: ["tags"] },
      { key: k("b"), type: "Test.NS/things", name: "b", paths: ["sku.capacity"] },
    ]);
    expect(diff.edges.added.map((e) => [nameOf(e.from), nameOf(e.to), e.relation])).toEqual([["a", "d", "data"]]);
    expect(diff.edges.removed.map((e) => [nameOf(e.from), nameOf(e.to), e.relation])).toEqual([["b", "c", "network"]]);
    // A relation change is an edge removed and one added.
    const relabelled = diffExports(before, {
      ...before,
      edges: before.edges.map((e, i) => (i === 0 ? { ...e, relation: "data" as const } : e)),
    });
    expect(relabelled.edges.added.map((e) => e.relation)).toEqual(["data"]);
    expect(relabelled.edges.removed.map((e) => e.relation)).toEqual(["hosting"]);
  });

  it("sees nothing between an export and itself, and a scale-out on the sample", async () => {
    const exp = await sampleExport();
    expect(diffExports(exp, exp)).toEqual({ resources: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [] } });
    const plan = keyOf(exp, "Microsoft.Web/serverfarms", "asp-corp-neu");
    const scaled = exp.resources.map((r): ExportResource =>
      r.key === plan
        ? {
            ...r,
            etag: "new",
            sku: { ...r.sku, capacity: 2 },
            properties: { ...(r.properties as object), numberOfWorkers: 2, provisioningState: "Updating" },
          }
        : r,
    );
    const diff = diffExports(exp, { ...exp, resources: scaled });
    expect(diff.resources.changed).toEqual([
      { key: plan, type: "Microsoft.Web/serverfarms", name: "asp-corp-neu", paths: ["properties.numberOfWorkers", "sku.capacity"] },
    ]);
  });
});
