// Anonymous health: the status word only, from the snapshot head (never the snapshot), answered
// from memory for a few seconds; the details are on the keyed route.
import { describe, expect, it } from "vitest";

import { createRoutes } from "../../../lib/api/routes.js";
import type { Store } from "../../../lib/cache/index.js";
import { call, commitSample, TEST_SCOPE, testStore } from "./fixtures.js";

/** The store with its snapshot reads and head lists counted. */
function counted(store: Store): { store: Store; reads: () => number; lists: () => number } {
  let reads = 0;
  let lists = 0;
  const read = store.snapshots.read.bind(store.snapshots);
  const list = store.snapshots.list.bind(store.snapshots);
  store.snapshots.read = (...args) => {
    reads += 1;
    return read(...args);
  };
  store.snapshots.list = (...args) => {
    lists += 1;
    return list(...args);
  };
  return { store, reads: () => reads, lists: () => lists };
}

describe("GET /api/health", () => {
  it("answers the status alone, anonymously, without loading the snapshot", async () => {
    const c = counted(testStore());
    await commitSample(c.store);
    let t = 1_000_000;
    const routes = createRoutes(() => ({ store: c.store, scope: () => TEST_SCOPE, now: () => t }));
    const r = await call(routes, "health", {}, {});
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ status: "healthy" });
    expect(r.text).not.toMatch(/sample|driver|counters|runId/);
    expect(c.reads()).toBe(0);
    // Answered from memory for a few seconds, then the head is read again (still no snapshot read).
    await call(routes, "health", {}, {});
    expect(c.lists()).toBe(1);
    t += 5_000;
    await call(routes, "health", {}, {});
    expect(c.lists()).toBe(2);
    expect(c.reads()).toBe(0);
  });

  it("says degraded before any commit and when the latest run failed; unhealthy when the store is down and nothing is held", async () => {
    const empty = createRoutes(() => ({ store: testStore(), scope: () => TEST_SCOPE }));
    expect((await call(empty, "health", {}, {})).json()).toEqual({ status: "degraded" });
    const store = testStore();
    await commitSample(store);
    const failed = createRoutes(() => ({
      store,
      scope: () => TEST_SCOPE,
      lastRun: () =>
        Promise.resolve({
          runId: "r",
          status: "failed",
          trigger: "http",
          requestedAt: new Date().toISOString(),
          failure: "boom at subscription 1111",
        }),
    }));
    const answer = await call(failed, "health", {}, {});
    expect(answer.json()).toEqual({ status: "degraded" });
    expect(answer.text).not.toContain("1111");
    const down = testStore();
    down.snapshots.list = () => Promise.reject(new Error("down"));
    down.state = () => ({ ...testStore().state(), state: "down" });
    const r = await call(
      createRoutes(() => ({ store: down, scope: () => TEST_SCOPE })),
      "health",
      {},
      {},
    );
    expect(r.status).toBe(503);
    expect(r.json()).toEqual({ status: "unhealthy" });
  });

  it("keeps the details (store, counters, snapshot, last run) behind the keyed route", async () => {
    const store = testStore();
    const exp = await commitSample(store);
    const routes = createRoutes(() => ({ store, scope: () => TEST_SCOPE }));
    expect(routes.healthDetails.authLevel).toBe("function");
    expect((await call(routes, "healthDetails", {}, {})).status).toBe(401);
    expect((await call(routes, "healthDetails")).json()).toMatchObject({
      status: "healthy",
      store: { driver: "memory" },
      snapshot: { runId: exp.runId },
    });
  });
});
