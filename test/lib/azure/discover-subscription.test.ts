import { describe, expect, it } from "vitest";

import type { ProviderInfo } from "../../../lib/azure/api-versions.js";
import { type ArmReader, ArmRequestError, type CallStats } from "../../../lib/azure/arm-reader.js";
import { discoverSubscription } from "../../../lib/azure/discover-subscription.js";
import type { ExportResource } from "../../../lib/topology/export-format.js";

const SUB = "11111111-1111-1111-1111-111111111111";
const rg = `/subscriptions/${SUB}/resourceGroups/RG1/providers`;
const site = (n: string) => ({ id: `${rg}/Microsoft.Web/sites/${n}`, name: n, type: "Microsoft.Web/sites", location: "westeurope" });
const vnet = {
  id: `${rg}/Microsoft.Network/virtualNetworks/vnet1`,
  name: "vnet1",
  type: "Microsoft.Network/virtualNetworks",
  properties: {
    subnets: [
      {
        id: `${rg}/Microsoft.Network/virtualNetworks/vnet1/subnets/a`,
        name: "a",
        type: "Microsoft.Network/virtualNetworks/subnets",
        properties: {},
      },
    ],
  },
};
const db = { id: `${rg}/Microsoft.Sql/servers/sql1/databases/db1`, name: "db1", type: "Microsoft.Sql/servers/databases" };
const sql = { id: `${rg}/Microsoft.Sql/servers/sql1`, name: "sql1", type: "Microsoft.Sql/servers" };

const providers: ProviderInfo[] = [
  { namespace: "Microsoft.Web", resourceTypes: [{ resourceType: "sites", apiVersions: ["2024-04-01", "2025-01-01-preview"] }] },
  { namespace: "Microsoft.Network", resourceTypes: [{ resourceType: "virtualNetworks", apiVersions: ["2024-05-01"] }] },
  {
    namespace: "Microsoft.Sql",
    resourceTypes: [
      { resourceType: "servers", apiVersions: ["2023-08-01"] },
      { resourceType: "servers/databases", apiVersions: ["2023-08-01"] },
    ],
  },
];

type Full = Record<string, unknown>;

/** A fake ARM: `full` answers the provider lists and GETs; `failList`/`failGet` fail by type or id. */
function fakeArm(
  full: Full[],
  opts: { failList?: Record<string, number>; failGet?: Set<string>; listed?: Full[]; deleted?: Set<string> } = {},
) {
  const calls: string[] = [];
  const envelope = (r: Full) => ({ id: r.id, name: r.name, type: r.type, location: r.location });
  const reader: ArmReader = {
    listSubscriptions: async () => [{ subscriptionId: SUB, displayName: "s" }],
    listProviders: async () => providers,
    listResourceGroups: async () => [...new Set(full.map((r) => String(r.id).split("/")[4]!))],
    async *listResources(_s, _g, stats?: CallStats) {
      calls.push("generic");
      if (stats) stats.requests += 1;
      yield full.map(envelope);
    },
    async *listByType(_s, type, apiVersion) {
      calls.push(`list ${type} ${apiVersion}`);
      const status = opts.failList?.[type];
      if (status !== undefined) throw new ArmRequestError("nope", status === 429 ? "TooManyRequests" : "Fail", status, 4);
      yield (opts.listed ?? full).filter((r) => r.type === type);
    },
    async getById(id, apiVersion) {
      calls.push(`get ${id.split("/").at(-1)} ${apiVersion}`);
      if (opts.failGet?.has(id)) throw new ArmRequestError("down", "InternalServerError", 500, 3);
      const r = full.find((x) => String(x.id).toLowerCase() === id.toLowerCase());
      if (r === undefined || opts.deleted?.has(id)) throw new ArmRequestError("gone", "ResourceNotFound", 404, 1);
      return { ...r, properties: { full: true } };
    },
  };
  return { reader, calls };
}

const keys = (rs: ExportResource[]) => rs.map((r) => r.name).sort();

describe("discoverSubscription", () => {
  it("reads top-level types from their list endpoint and child types by id, with the newest stable version", async () => {
    const { reader, calls } = fakeArm([site("a"), site("b"), vnet, sql, db]);
    const out = await discoverSubscription({ reader, subscriptionId: SUB });
    expect(keys(out.resources)).toEqual(["a", "a", "b", "db1", "sql1", "vnet1"]);
    expect(calls).toContain("list Microsoft.Web/sites 2024-04-01");
    expect(calls).toContain("get db1 2023-08-01");
    expect(calls.filter((c) => c.startsWith("get"))).toEqual(["get db1 2023-08-01"]);
    expect(out.errors).toEqual([]);
    const subnet = out.resources.find((r) => r.type === "Microsoft.Network/virtualNetworks/subnets");
    expect(subnet?.key).toBe(`${rg}/Microsoft.Network/virtualNetworks/vnet1/subnets/a`.toLowerCase());
  });

  it("GETs what the list endpoint missed, and drops what was deleted in between", async () => {
    const { reader, calls } = fakeArm([site("a"), site("b"), site("gone")], {
      listed: [site("a")],
      deleted: new Set([site("gone").id]),
    });
    const out = await discoverSubscription({ reader, subscriptionId: SUB });
    expect(keys(out.resources)).toEqual(["a", "b"]);
    expect(calls.filter((c) => c.startsWith("get")).sort()).toEqual(["get b 2024-04-01", "get gone 2024-04-01"]);
    expect(out.errors).toEqual([]);
  });

  it("falls back to GETs when a type has no list endpoint", async () => {
    const { reader } = fakeArm([site("a"), site("b")], { failList: { "Microsoft.Web/sites": 404 } });
    const out = await discoverSubscription({ reader, subscriptionId: SUB });
    expect(keys(out.resources)).toEqual(["a", "b"]);
    expect(out.resources.every((r) => (r.properties as { full?: boolean }).full === true)).toBe(true);
    expect(out.types[0]).toMatchObject({ type: "Microsoft.Web/sites", method: "get", failed: false });
  });

  it("records a type that still fails and carries its previous resources forward as stale", async () => {
    const { reader } = fakeArm([site("a"), site("b"), sql], { failList: { "Microsoft.Web/sites": 429 } });
    const previous = (await discoverSubscription({ reader: fakeArm([site("a"), sql]).reader, subscriptionId: SUB })).resources.map((r) => ({
      ...r,
      properties: { previousRun: true },
    }));
    const out = await discoverSubscription({ reader, subscriptionId: SUB, previous });
    expect(out.errors).toEqual([
      { subscriptionId: SUB, type: "Microsoft.Web/sites", code: "TooManyRequests", message: "nope", attempts: 4 },
    ]);
    const a = out.resources.find((r) => r.name === "a")!;
    const b = out.resources.find((r) => r.name === "b")!;
    expect(a).toMatchObject({ stale: true, properties: { previousRun: true } });
    // No previous data for b: its generic envelope stands in, marked stale.
    expect(b).toMatchObject({ stale: true, location: "westeurope" });
    expect(out.resources.find((r) => r.name === "sql1")?.stale).toBeUndefined();
  });

  it("keeps a resource whose GET failed at its last good version and reports the type", async () => {
    const failing = `${rg}/Microsoft.Sql/servers/sql1/databases/db1`;
    const { reader } = fakeArm([sql, db], { failGet: new Set([failing]) });
    const out = await discoverSubscription({ reader, subscriptionId: SUB });
    expect(out.resources.find((r) => r.name === "db1")).toMatchObject({ stale: true });
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ type: "Microsoft.Sql/servers/databases", code: "InternalServerError", attempts: 3 });
  });

  it("carries the whole previous subscription forward when the generic list fails", async () => {
    const previous = (await discoverSubscription({ reader: fakeArm([site("a"), sql]).reader, subscriptionId: SUB })).resources;
    const { reader } = fakeArm([]);
    reader.listResources = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new ArmRequestError("down", "ServiceUnavailable", 503, 5)) }),
    });
    const out = await discoverSubscription({ reader, subscriptionId: SUB, previous });
    expect(keys(out.resources)).toEqual(["a", "sql1"]);
    expect(out.resources.every((r) => r.stale === true)).toBe(true);
    expect(out.errors).toEqual([{ subscriptionId: SUB, type: "*", code: "ServiceUnavailable", message: "down", attempts: 5 }]);
  });

  it("sanitises what it carries forward from an older snapshot, and error messages", async () => {
    const previous = (await discoverSubscription({ reader: fakeArm([site("a")]).reader, subscriptionId: SUB })).resources.map((r) => ({
      ...r,
      properties: { siteConfig: { connectionStrings: [{ name: "db", connectionString: "Server=x;Password=old-secret" }] } },
    }));
    const { reader } = fakeArm([]);
    reader.listResources = () => ({
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new ArmRequestError("bad value AccountKey=leaked-key", "BadRequest", 503, 1)),
      }),
    });
    const out = await discoverSubscription({ reader, subscriptionId: SUB, previous });
    expect(JSON.stringify(out)).not.toMatch(/old-secret|leaked-key/);
    expect(out.resources[0]!.properties).toEqual({
      siteConfig: { connectionStrings: [{ name: "db", connectionString: "Server=x;Password=[redacted:connection-string-secret]" }] },
    });
  });

  it("applies resource-group and type filters", async () => {
    const other = { ...site("x"), id: `/subscriptions/${SUB}/resourceGroups/rg2/providers/Microsoft.Web/sites/x` };
    const { reader } = fakeArm([site("a"), other, sql, db]);
    const out = await discoverSubscription({
      reader,
      subscriptionId: SUB,
      filter: { resourceGroups: ["rg1"], excludeTypes: ["microsoft.sql/servers/databases"] },
    });
    expect(keys(out.resources)).toEqual(["a", "sql1"]);
  });
});
