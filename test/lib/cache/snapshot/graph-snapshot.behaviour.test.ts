// Snapshot format 2, the graph-ready form, against both drivers: every snapshot reads back to the
// export written (whole, field for field), its graph is the graph of that export, payloads come
// back per position, a format-1 snapshot written before the upgrade still reads, and a corrupt or
// missing chunk of either part is detected and the previous snapshot answers.
import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { isSnapshotError } from "../../../../lib/cache/index.js";
import { buildGraph, type TopologyExport, TopologyGraph } from "../../../../lib/topology/index.js";
import { sampleExport } from "../../../support/sample-export.js";
import { makeExport } from "../support/exports.js";
import { DRIVERS, useDrivers } from "../support/harness.js";

const drivers = useDrivers({ maxRequestBytes: 1_000_000 });

/** `makeExport` with payloads that do not compress to nothing, so a snapshot spans several chunks. */
function noisyExport(runId: string, resources: number): TopologyExport {
  const exp = makeExport(runId, resources);
  const noise = (i: number): string => createHash("sha256").update(`${runId}:${i}`).digest("hex").repeat(2);
  return { ...exp, resources: exp.resources.map((r, i) => ({ ...r, properties: { ...(r.properties as object), noise: noise(i) } })) };
}

/** An export with what a careless format would lose: odd keys and names, unknown edge ends, no direction, a non-string kind, `__proto__`. */
function awkwardExport(runId: string): TopologyExport {
  const base = noisyExport(runId, 600);
  const resources = base.resources.map((r, i) => {
    if (i % 7 === 0) return { ...r, name: `Display Name ${i}` };
    if (i % 11 === 0) {
      const { location: _l, ...rest } = r;
      return { ...rest, kind: 5 as unknown as string };
    }
    if (i % 13 === 0)
      return JSON.parse(
        `{"__proto__":{"polluted":true},"key":"${r.key}","id":"${r.id}","type":"${r.type}","name":"${r.name}","subscriptionId":"${r.subscriptionId}"}`,
      ) as typeof r;
    return r;
  });
  resources[3] = { ...resources[3]!, key: `${resources[3]!.key}/odd` };
  const edges = [
    ...base.edges.map((e, i) => (i % 2 === 0 ? e : { ...e, direction: "writable" as const })),
    {
      from: resources[5]!.key,
      to: "/subscriptions/x/resourceGroups/Elsewhere/providers/A.B/c/D",
      relation: "network" as const,
      via: "properties.subnet.id",
    },
    {
      from: resources[5]!.key.toUpperCase(),
      to: resources[6]!.key,
      relation: "data" as const,
      via: "properties.x",
      direction: "rule" as const,
    },
  ];
  return {
    ...base,
    resources,
    edges,
    external: [{ key: "/subscriptions/y/ext", id: "/subscriptions/Y/ext", type: "A.B/ext" }],
    stats: { ...base.stats, edges: edges.length },
  };
}

/** The graph's structure, for comparison. */
function shape(g: TopologyGraph): unknown {
  return {
    keys: g.keys,
    origins: [...g.origins],
    types: g.types,
    typeIds: [...g.typeIds],
    groupIds: [...g.groupIds],
    outStart: [...g.outStart],
    outNode: [...g.outNode],
    inNode: [...g.inNode],
    resources: g.resources,
    edges: Array.from({ length: g.edgeCount }, (_, i) => g.edge(i)),
  };
}

describe.each(DRIVERS)("graph-ready snapshots (%s)", (name) => {
  it("reads back to the export written, field for field, on the sample estate and an awkward one, in small chunks", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    for (const exp of [await sampleExport(), awkwardExport("awkward"), makeExport("empty", 0)]) {
      const { manifest } = await store.snapshots.write("s", exp);
      expect(manifest).toMatchObject({ version: 2, resources: exp.resources.length, edges: exp.edges.length });
      const read = await d.open({ snapshots: { chunkBytes: 16_384 } }).snapshots.read("s");
      expect(JSON.stringify(read?.export)).toBe(JSON.stringify(exp));
      expect(read?.export).toEqual(exp);
    }
  });

  it("reads the graph without the payloads: the same graph as the export's, whole payloads by position", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    const exp = awkwardExport("g");
    const { manifest } = await store.snapshots.write("s", exp);
    if (manifest.version !== 2) throw new Error("expected format 2");
    expect(manifest.payloadChunks).toBeGreaterThan(1);
    const read = (await d.open().snapshots.readGraph("s"))!;
    expect(read).toMatchObject({ source: "store", fellBack: false, manifest: { writeId: manifest.writeId } });
    const { resources: _r, edges: _e, external: _x, ...meta } = exp;
    expect(read.meta).toEqual(meta);
    const graph = new TopologyGraph(read.columns);
    expect(shape(graph)).toEqual(shape(buildGraph(exp)));
    // No payload in the graph: the facts only (these NICs' properties hold none).
    expect(graph.resources.filter((r) => r !== undefined).every((r) => r.properties === undefined)).toBe(true);
    const positions = [599, 0, 3, 256, 257, 13, 599];
    expect(await read.payloads.at(positions)).toEqual(positions.map((p) => exp.resources[p]));
    expect(Object.getPrototypeOf((await read.payloads.at([13]))[0])).toBe(Object.prototype);
    expect(await read.payloads.all()).toEqual(exp.resources);
  });

  it("reads a snapshot written in format 1 by an earlier version, whole and as a graph", async () => {
    const d = drivers(name);
    const exp = await sampleExport();
    const { manifest } = await d.open({ snapshots: { format: 1 } }).snapshots.write("s", exp);
    expect(manifest.version).toBe(1);
    const store = d.open();
    expect((await store.snapshots.read("s"))?.export).toEqual(exp);
    const read = (await store.snapshots.readGraph("s"))!;
    expect(shape(new TopologyGraph(read.columns))).toEqual(shape(buildGraph(exp)));
    expect(await read.payloads.all()).toEqual(exp.resources);
    // The next commit (format 2) keeps the format-1 one as the previous snapshot, still readable.
    await store.snapshots.write("s", { ...exp, runId: "after-upgrade" });
    expect((await store.snapshots.list("s")).map((m) => [m.runId, m.version])).toEqual([
      ["after-upgrade", 2],
      ["sample", 1],
    ]);
    expect((await store.snapshots.read("s", "sample"))?.export).toEqual(exp);
  });

  it("a corrupt index chunk: the graph read falls back to the previous snapshot", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    await store.snapshots.write("s", makeExport("good", 300));
    const bad = await store.snapshots.write("s", makeExport("bad", 300));
    if (bad.manifest.version !== 2) throw new Error("expected format 2");
    const last = bad.manifest.chunks - 1;
    const key = `${d.prefix}:snap:s:chunk:${bad.manifest.writeId}:${last}`;
    const text = (await d.raw().get(key))!;
    await d.raw().set(key, `${text.slice(0, -8)}AAAAAAAA`);
    const read = await d.open().snapshots.readGraph("s");
    expect(read).toMatchObject({ meta: { runId: "good" }, fellBack: true, skipped: [{ runId: "bad" }] });
    expect(read?.skipped[0]?.why).toMatch(/index checksum mismatch/);
  });

  it("a missing payload chunk: payloads fail as unreadable, and the next graph read falls back to the previous snapshot", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    await store.snapshots.write("s", noisyExport("good", 300));
    const bad = await store.snapshots.write("s", noisyExport("bad", 300));
    if (bad.manifest.version !== 2) throw new Error("expected format 2");
    expect(bad.manifest.payloadChunks).toBeGreaterThan(1);
    await d.raw().del([`${d.prefix}:snap:s:chunk:${bad.manifest.writeId}:1`]);
    const reader = d.open();
    const first = (await reader.snapshots.readGraph("s"))!;
    expect(first.meta.runId).toBe("bad");
    const e: unknown = await first.payloads.at([0]).catch((x: unknown) => x);
    expect(isSnapshotError(e) && e.reason).toBe("unreadable");
    expect(String((e as Error).message)).toMatch(/chunk 1 of \d+ is missing/);
    const again = (await reader.snapshots.readGraph("s"))!;
    expect(again).toMatchObject({ meta: { runId: "good" }, fellBack: true, skipped: [{ runId: "bad" }] });
    expect((await again.payloads.at([299]))[0]?.name).toBe("nic-299");
  });

  it("a payload chunk of other bytes fails its block's checksum", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    const bad = await store.snapshots.write("s", makeExport("bad", 300));
    const key = `${d.prefix}:snap:s:chunk:${bad.manifest.writeId}:0`;
    const text = (await d.raw().get(key))!;
    await d.raw().set(key, `${"A".repeat(40)}${text.slice(40)}`);
    const read = (await d.open().snapshots.readGraph("s"))!;
    const e: unknown = await read.payloads.all().catch((x: unknown) => x);
    expect(isSnapshotError(e) && e.reason).toBe("unreadable");
    expect(String((e as Error).message)).toMatch(/payload block 0 fails its checksum/);
    // The whole read checks the same bytes.
    const whole: unknown = await d
      .open()
      .snapshots.read("s")
      .catch((x: unknown) => x);
    expect(isSnapshotError(whole) && whole.reason).toBe("unreadable");
  });
});
