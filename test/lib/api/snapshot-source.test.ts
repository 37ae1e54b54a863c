// A new snapshot whose chunk read fails must not pin this instance to the old snapshot under the
// new generation: no query result from the old graph is cached under the new generation (where
// every instance would find it), and the next call reads the newest snapshot again. Both drivers.
import { describe, expect, it } from "vitest";

import { Store, type StoreDriver } from "../../../lib/cache/index.js";
import type { TopologyExport } from "../../../lib/topology/index.js";
import { DRIVERS, type DriverUnderTest, useDrivers } from "../cache/support/harness.js";
import { call, commitSample, quietLog, routesOver, smallerNext, TEST_SCOPE } from "./fixtures.js";

const drivers = useDrivers();

type ChunkFault = "missing" | "unavailable";

/** A store on `d` whose next chunk read of write `writeId` fails once as `fault`. */
function storeWithChunkFault(d: DriverUnderTest): { store: Store; failNextRead: (writeId: string, fault: ChunkFault) => void } {
  const inner = d.raw();
  let armed: { writeId: string; fault: ChunkFault } | undefined;
  const driver: StoreDriver = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== "mget") return Reflect.get(target, prop, receiver) as unknown;
      return async (keys: readonly string[]) => {
        const fault = armed;
        const ofWrite = (k: string): boolean => fault !== undefined && k.includes(`:chunk:${fault.writeId}:`);
        if (fault === undefined || !keys.some(ofWrite)) return target.mget(keys);
        armed = undefined;
        if (fault.fault === "unavailable") throw new Error("connection reset");
        return (await target.mget(keys)).map((v, i) => (ofWrite(keys[i]!) ? null : v));
      };
    },
  });
  const store = new Store({ driver, prefix: d.prefix, log: quietLog, timeoutMs: 5_000 });
  return { store, failNextRead: (writeId, fault) => (armed = { writeId, fault }) };
}

/** Keys of query results cached under `generation`. */
async function queryKeys(d: DriverUnderTest, generation: number): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const page = await d.raw().scan(cursor, `${d.prefix}:q:${generation}:*`, 1_000);
    found.push(...page.keys);
    cursor = page.cursor;
  } while (cursor !== "0");
  return found;
}

type RiskBody = { snapshot: { runId: string; generation: number }; totals: { resources: number } };

describe.each(DRIVERS)("snapshot source when a new snapshot's chunk read fails (%s)", (name) => {
  it.each<ChunkFault>(["missing", "unavailable"])(
    "a %s chunk: nothing from the old graph is cached under the new generation, and the next call serves the new snapshot",
    async (fault) => {
      const d = drivers(name);
      const { store, failNextRead } = storeWithChunkFault(d);
      const first = await commitSample(store);
      const routes = routesOver(store);
      const before = (await call(routes, "risk")).json() as RiskBody;
      expect(before.snapshot.runId).toBe(first.runId);
      expect((await queryKeys(d, before.snapshot.generation)).length).toBeGreaterThan(0);

      // Another instance (the run) commits the next snapshot.
      const next = smallerNext(first);
      const committed = await d.open().snapshots.write(TEST_SCOPE, next);
      failNextRead(committed.manifest.writeId, fault);

      const during = (await call(routes, "risk")).json() as RiskBody;
      // The old snapshot may answer, but says so, and nothing it computed lands under the new generation.
      expect(during.snapshot).toMatchObject({ runId: first.runId, generation: before.snapshot.generation });
      expect(await queryKeys(d, committed.generation)).toEqual([]);
      // Another instance on the same store reads the new snapshot and finds no old answer cached.
      const elsewhere = (await call(routesOver(d.open({ log: quietLog })), "risk")).json() as RiskBody;
      expect(elsewhere.snapshot.runId).toBe("next");
      expect(elsewhere.totals.resources).toBe(10);

      const after = (await call(routes, "risk")).json() as RiskBody;
      expect(after.snapshot).toMatchObject({ runId: "next", generation: committed.generation });
      expect(after.totals.resources).toBe(10);
      const resources = (await call(routes, "resources", { limit: "1000" })).json() as { items: unknown[]; snapshot: { runId: string } };
      expect(resources.snapshot.runId).toBe("next");
      expect(resources.items).toHaveLength(10);
    },
  );
});

describe.each(DRIVERS)("snapshot source when the current snapshot's payloads turn out unreadable (%s)", (name) => {
  it("graph answers stand, the detail that needs a payload is a 503, and the next call answers from the previous snapshot", async () => {
    const d = drivers(name);
    const store = d.open({ log: quietLog, snapshots: { chunkBytes: 16_384 } });
    const first = await commitSample(store);
    const next: TopologyExport = { ...first, runId: "next" };
    const committed = await store.snapshots.write(TEST_SCOPE, next);
    if (committed.manifest.version !== 2) throw new Error("expected format 2");
    // A payload chunk of the current snapshot is lost (evicted, say): its graph index is whole.
    await d.raw().del([`${d.prefix}:snap:${TEST_SCOPE}:chunk:${committed.manifest.writeId}:0`]);
    const routes = routesOver(d.open({ log: quietLog }));
    const risk = (await call(routes, "risk")).json() as RiskBody;
    expect(risk.snapshot.runId).toBe("next");
    const id = first.resources[0]!.id;
    const failed = await call(routes, "resourceDetail", { id });
    expect(failed.status).toBe(503);
    expect(failed.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const detail = await call(routes, "resourceDetail", { id });
    expect(detail.status).toBe(200);
    const body = detail.json() as { resource: unknown; snapshot: { runId: string } };
    expect(body.snapshot.runId).toBe(first.runId);
    expect(body.resource).toEqual(first.resources[0]);
  });
});
