// The facts a graph keeps of each resource (lib/topology/facts.ts): every property the rule
// modules name is kept, the via paths of a resource's own edges are kept with the names of the
// array elements they pass, and nothing else of the payload is.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { FACT_PROPERTIES, factsOf } from "../../../lib/topology/facts.js";
import type { ExportResource } from "../../../lib/topology/index.js";

const root = join(import.meta.dirname, "../../../lib/topology");
const ruleModules = [
  ...readdirSync(join(root, "failure")).map((f) => join(root, "failure", f)),
  ...["redundancy-rules.ts", "redundancy.ts", "entry-point-rules.ts", "entry-points.ts", "checks.ts", "risk-weights.ts", "risk.ts"].map(
    (f) => join(root, f),
  ),
];

const lb = (): ExportResource => ({
  key: "/subscriptions/s/resourcegroups/g/providers/microsoft.network/loadbalancers/lb",
  id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/loadBalancers/lb",
  type: "Microsoft.Network/loadBalancers",
  name: "lb",
  subscriptionId: "s",
  resourceGroup: "g",
  location: "westeurope",
  sku: { name: "Standard" },
  zones: ["1"],
  tags: { env: "prod" },
  properties: {
    frontendIPConfigurations: [{ name: "fe", properties: { publicIPAddress: { id: "/x" } } }],
    probes: [{ name: "p", properties: { port: 80 } }],
    outboundRules: [
      { name: "o0", properties: { allocatedOutboundPorts: 1, backendAddressPool: { id: "/pool0" } } },
      { name: "o1", id: "/o1", properties: { allocatedOutboundPorts: 2, backendAddressPool: { id: "/pool1" }, secret: "not a fact" } },
    ],
    provisioningState: "Succeeded",
  },
});

describe("resource facts", () => {
  it("lists every property name the rule modules read", () => {
    const named = new Set<string>();
    for (const file of ruleModules)
      for (const m of readFileSync(file, "utf8").matchAll(/properties\\?\.([A-Za-z0-9_]+)/g)) named.add(m[1]!);
    expect([...named].filter((n) => !FACT_PROPERTIES.has(n))).toEqual([]);
    expect([...FACT_PROPERTIES].filter((n) => !named.has(n))).toEqual([]);
  });

  it("keeps every top-level field and the listed properties whole, and drops the rest of the payload", () => {
    const r = lb();
    const facts = factsOf(r);
    expect(facts).toEqual({
      ...r,
      properties: { frontendIPConfigurations: (r.properties as { frontendIPConfigurations: unknown }).frontendIPConfigurations },
    });
    // Values are shared, not copied.
    expect((facts.properties as { frontendIPConfigurations: unknown }).frontendIPConfigurations).toBe(
      (r.properties as { frontendIPConfigurations: unknown }).frontendIPConfigurations,
    );
  });

  it("keeps the values along each via path, with each array element's name and id, and nothing beside them", () => {
    const facts = factsOf(lb(), [
      "properties.outboundRules[1].properties.backendAddressPool.id",
      "properties.missing[3].id",
      "id",
      "properties.probes[5].x",
    ]);
    expect(facts.properties).toEqual({
      frontendIPConfigurations: [{ name: "fe", properties: { publicIPAddress: { id: "/x" } } }],
      outboundRules: [null, { name: "o1", id: "/o1", properties: { backendAddressPool: { id: "/pool1" } } }],
    });
  });

  it("a resource with no fact in its properties has none, and a `__proto__` on a path stays an ordinary field", () => {
    const r: ExportResource = { ...lb(), properties: { other: 1 } };
    expect("properties" in factsOf(r)).toBe(false);
    const hostile = JSON.parse(
      '{"key":"k","id":"/subscriptions/s/x/y","type":"a/b","name":"y","subscriptionId":"s","properties":{"__proto__":{"polluted":{"id":"/z"}}}}',
    ) as ExportResource;
    const facts = factsOf(hostile, ["properties.__proto__.polluted.id"]);
    expect(Object.getPrototypeOf(facts.properties)).toBe(Object.prototype);
    expect(Object.hasOwn(facts.properties as object, "__proto__")).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
