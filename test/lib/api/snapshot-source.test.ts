// A new snapshot whose chunk read fails must not pin this instance to the old snapshot under the
// new generation: no query result from the old graph is cached under the new generation (where
// every instance would find it), and the next call reads the newest snapshot again.
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { MemoryDriver, MemoryKeyspace, Store, type StoreDriver } from "../../../lib/cache/index.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { call, commitSample, quietLog, routesOver, TEST_SCOPE } from "./fixtures.js";

type ChunkFault = "missing" | "unavailable";

/** A memory store whose next chunk read of write `writeId` fails once as `fault`. */
function storeWithChunkFault(): { store: Store; keyspace: MemoryKeyspace; prefix: string; failNextRead: (writeId: string, fault: ChunkFault) => void } {
  const keyspace = new MemoryKeyspace();
  const memory = new MemoryDriver(keyspace);
  let armed: { writeId: string; fault: ChunkFault } | undefined;
  const driver: StoreDriver = new Proxy(memory, {
    get(target, prop, receiver) {
      if (prop !== "mget") return Reflect.get(target, prop, receiver) as unknown;
      return async (keys: readonly string[]) => {
        const hit = armed !== undefined && keys.some((k) => k.includes(`:chunk:${armed!.writeId}:`));
        if (!hit || armed === undefined) return target.mget(keys);
        const { fault, writeId } = armed;
        armed = undefined;
        if (fault === "unavailable") throw new Error("connection reset");
        return (await target.mget(keys)).map((v, i) => (keys[i]!.includes(`:chunk:${writeId}:`) ? null : v));
      };
    },
  });
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const store = new Store({ driver, prefix, log: quietLog });
  return { store, keyspace, prefix, failNextRead: (writeId, fault) => (armed = { writeId, fault }) };
}

const queryKeys = (keyspace: MemoryKeyspace, prefix: string, generation: number): string[] =>
  [...keyspace.keys()].filter((k) => k.startsWith(`${prefix}:q:${generation}:`));

describe.each<ChunkFault>(["missing", "unavailable"])("snapshot source when a new snapshot's chunk read fails (%s)", (fault) => {
  it("caches nothing from the old graph under the new generation, and the next call serves the new snapshot", async () => {
    const { store, keyspace, prefix, failNextRead } = storeWithChunkFault();
    const first = await commitSample(store);
    const routes = routesOver(store);
    const before = (await call(routes, "risk")).json() as { snapshot: { runId: string; generation: number } };
    expect(before.snapshot.runId).toBe(first.runId);
    expect(queryKeys(keyspace, prefix, before.snapshot.generation).length).toBeGreaterThan(0);

    const next: TopologyExport = { ...first, runId: "next", resources: first.resources.slice(0, 10), edges: [], external: [], stats: { ...first.stats, resources: 10, edges: 0 } };
    // Another instance (the run) commits it.
    const committed = await new Store({ driver: new MemoryDriver(keyspace), prefix, log: quietLog }).snapshots.write(TEST_SCOPE, next);
    failNextRead(committed.manifest.writeId, fault);

    const during = (await call(routes, "risk")).json() as { snapshot: { runId: string; generation: number }; totals: { resources: number } };
    // The old snapshot may answer, but says so, and nothing it computed lands under the new generation.
    expect(during.snapshot).toMatchObject({ runId: first.runId, generation: before.snapshot.generation });
    expect(queryKeys(keyspace, prefix, committed.generation)).toEqual([]);
    // Another instance on the same store reads the new snapshot and finds no old answer cached.
    const elsewhere = (await call(routesOver(new Store({ driver: new MemoryDriver(keyspace), prefix, log: quietLog })), "risk")).json() as typeof during;
    expect(elsewhere.snapshot.runId).toBe("next");
    expect(elsewhere.totals.resources).toBe(10);

    const after = (await call(routes, "risk")).json() as typeof during;
    expect(after.snapshot).toMatchObject({ runId: "next", generation: committed.generation });
    expect(after.totals.resources).toBe(10);
    const resources = (await call(routes, "resources", { limit: "1000" })).json() as { items: unknown[]; snapshot: { runId: string } };
    expect(resources.snapshot.runId).toBe("next");
    expect(resources.items).toHaveLength(10);
  });
});
