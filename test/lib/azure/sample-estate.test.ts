import { readFileSync } from "node:fs";
import { Agent } from "node:https";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ArmHttpReader } from "../../../lib/azure/arm-http.js";
import { emulatorCredential } from "../../../lib/azure/credentials.js";
import { runDiscovery } from "../../../lib/azure/discover.js";
import type { ExportEdge, TopologyExport } from "../../../lib/topology/export-format.js";
import { type ArmEmulator, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { loadEstateFile } from "../../../tools/estates/schema.js";
import { expectedKeys } from "../../support/estate-keys.js";

const golden = JSON.parse(readFileSync(new URL("../../fixtures/sample-estate.edges.json", import.meta.url), "utf8")) as {
  edges: ExportEdge[];
  external: string[];
};
const sampleFile = new URL("../../../tools/estates/sample.json", import.meta.url).pathname;

const line = (e: ExportEdge) => `${e.from} -[${e.relation}]-> ${e.to} via ${e.via} (${e.direction ?? "no direction"})`;

describe("the sample estate, discovered through the emulator", () => {
  let emulator: ArmEmulator;
  let result: TopologyExport;
  let expected: Set<string>;

  beforeAll(async () => {
    const estate = await loadEstateFile(sampleFile);
    expected = expectedKeys(estate);
    emulator = await startArmEmulator({ estate, pageSize: 10, throttle: "off" });
    const reader = new ArmHttpReader({ credential: emulatorCredential, endpoint: emulator.url, agent: new Agent({ ca: emulator.ca }) });
    result = await runDiscovery({ reader });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it("is discovered completely", () => {
    expect(result.errors).toEqual([]);
    expect(new Set(result.resources.map((r) => r.key))).toEqual(expected);
  });

  it("has exactly the golden edges: every expected one, no unexpected one, with relation, via and direction", () => {
    expect(result.edges.map(line).sort()).toEqual(golden.edges.map(line).sort());
  });

  it("lists the reference outside the estate as external, and nothing else", () => {
    expect(result.external.map((e) => e.key)).toEqual(golden.external);
    expect(result.external[0]?.type.toLowerCase()).toBe("microsoft.operationalinsights/workspaces");
  });

  it("covers the cases the contract names", () => {
    const relations = new Set(result.edges.map((e) => e.relation));
    for (const r of ["contains", "network", "hosting", "data", "identity", "security", "monitoring", "reference"]) {
      expect(relations, r).toContain(r);
    }
    const subscriptionOf = (k: string) => k.split("/")[2];
    const inside = result.edges.filter((e) => expected.has(e.from) && expected.has(e.to));
    expect(inside.filter((e) => subscriptionOf(e.from) !== subscriptionOf(e.to))).toHaveLength(1);
    // Back-references are reversed: a disk names its VM in managedBy, yet only the VM depends on it.
    expect(result.edges.some((e) => e.from.includes("/disks/") && e.to.includes("/virtualmachines/"))).toBe(false);
    expect(result.edges.some((e) => e.from.includes("/virtualmachines/") && e.to.includes("/disks/"))).toBe(true);
  });
});
