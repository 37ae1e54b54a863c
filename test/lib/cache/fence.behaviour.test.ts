// Fenced commits against both drivers: the pointer swap checks, in the same atomic step, that the
// lock is still held by the committer and that its fencing counter has not moved on.
import { describe, expect, it } from "vitest";

import { type Fence, isSnapshotError, type Lease, type Store } from "../../../lib/cache/index.js";
import { makeExport } from "./support/exports.js";
import { DRIVERS, pause, useDrivers } from "./support/harness.js";

const drivers = useDrivers();

async function take(store: Store, lock: string, ttlMs = 10_000, owner?: string): Promise<Lease> {
  const taken = await store.locks.acquire(lock, { ttlMs, ...(owner === undefined ? {} : { owner }) });
  if (!taken.acquired) throw new Error(`expected to take ${lock}`);
  return taken.lease;
}

const fenceOf = (lease: Lease): Fence => ({ lock: lease.name, owner: lease.owner, token: lease.fencingToken });

/** Commits `runId` with `fence` and expects the refusal; the head and the generation stay as they were. */
async function expectFenced(store: Store, runId: string, fence: Fence): Promise<void> {
  const headBefore = await store.snapshots.list("s");
  const genBefore = await store.generation.current();
  const staged = await store.snapshots.stage("s", makeExport(runId, 5));
  const e: unknown = await store.snapshots.commit(staged, { fence }).catch((x: unknown) => x);
  expect(isSnapshotError(e) && e.reason, String(e)).toBe("fenced");
  expect((e as Error).message).toContain("s");
  expect((e as Error).message).toContain(`token ${fence.token}`);
  expect(await store.snapshots.list("s")).toEqual(headBefore);
  expect(await store.generation.current()).toBe(genBefore);
  expect(isSnapshotError(await store.snapshots.write("s", makeExport(runId, 5), { fence }).catch((x: unknown) => x))).toBe(true);
  expect(await store.snapshots.list("s")).toEqual(headBefore);
}

describe.each(DRIVERS)("fenced commit (%s)", (name) => {
  it("the current holder's commit goes through, and a repeated commit of the same write succeeds even after the lock is gone", async () => {
    const d = drivers(name);
    const store = d.open();
    const lease = await take(store, "scope:s", 10_000, "run-1");
    const gen = await store.generation.current();
    const staged = await store.snapshots.stage("s", makeExport("run-1", 5));
    const committed = await store.snapshots.commit(staged, { fence: fenceOf(lease) });
    expect(committed.generation).toBe(gen + 1);
    expect((await store.snapshots.read("s"))?.export.runId).toBe("run-1");
    // Idempotency is checked before the fence: the commit was applied, so the retry succeeds.
    expect(await lease.release()).toBe(true);
    expect((await store.snapshots.commit(staged, { fence: fenceOf(lease) })).manifest.writeId).toBe(staged.manifest.writeId);
    expect(await store.generation.current()).toBe(gen + 1);
  });

  it("refuses an older token: the lock was released and taken again by the same owner name", async () => {
    const d = drivers(name);
    const store = d.open();
    await store.snapshots.write("s", makeExport("base", 5));
    const old = await take(store, "scope:s", 10_000, "run-1");
    await old.release();
    const newer = await take(d.open(), "scope:s", 10_000, "run-1");
    expect(newer.fencingToken).toBeGreaterThan(old.fencingToken);
    await expectFenced(store, "stale", fenceOf(old));
    const e: unknown = await store.snapshots
      .commit(await store.snapshots.stage("s", makeExport("stale", 5)), { fence: fenceOf(old) })
      .catch((x: unknown) => x);
    expect((e as Error).message).toContain(`current token ${newer.fencingToken}`);
    // The newer holder still commits.
    await store.snapshots.write("s", makeExport("fresh", 5), { fence: fenceOf(newer) });
    expect((await store.snapshots.read("s"))?.export.runId).toBe("fresh");
  });

  it("refuses a different owner holding the same token's lock, and a lock nobody holds", async () => {
    const d = drivers(name);
    const store = d.open();
    await store.snapshots.write("s", makeExport("base", 5));
    const lease = await take(store, "scope:s", 10_000, "run-1");
    await expectFenced(store, "intruder", { ...fenceOf(lease), owner: "run-2" });
    await lease.release();
    await expectFenced(store, "released", fenceOf(lease));
  });

  it("refuses a holder whose lock expired (nobody took it since)", async () => {
    const d = drivers(name);
    const store = d.open();
    await store.snapshots.write("s", makeExport("base", 5));
    const lease = await take(store, "scope:s", 30, "run-1");
    await pause(45);
    await expectFenced(store, "paused", fenceOf(lease));
  });
});
