// The snapshot store against both drivers: chunked compressed writes, atomic commits, checksum
// fall-back, retention, readers racing writers, and a 100,000-resource round trip that the bridge
// proves stays within the chunk limit (it refuses any request over 1,000,000 bytes).
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { isSnapshotError, isStoreUnavailableError } from "../../../../lib/cache/index.js";
import { isWhole, makeExport } from "../support/exports.js";
import { DRIVERS, pause, useDrivers } from "../support/harness.js";

const CHUNK_LIMIT = 1_000_000;
const drivers = useDrivers({ maxRequestBytes: CHUNK_LIMIT });

describe.each(DRIVERS)("snapshot store (%s)", (name) => {
  it("writes, commits and reads back an export; another instance reads the same", async () => {
    const d = drivers(name);
    const store = d.open();
    expect(await store.snapshots.read("sub-1")).toBeUndefined();
    expect(await store.snapshots.list("sub-1")).toEqual([]);
    const exp = makeExport("run-1", 50);
    const committed = await store.snapshots.write("sub-1", exp);
    expect(committed.manifest).toMatchObject({
      version: 2,
      scope: "sub-1",
      runId: "run-1",
      chunks: 2,
      payloadChunks: 1,
      resources: 50,
      edges: 49,
      encoding: "br",
    });
    expect(committed.manifest.committedAt).toBeDefined();
    const read = await d.open().snapshots.read("sub-1");
    expect(read).toMatchObject({ source: "store", fellBack: false, skipped: [] });
    expect(read?.export).toEqual(exp);
    expect(await store.snapshots.read("sub-2")).toBeUndefined();
  });

  it("a staged snapshot is invisible until committed; commit swaps it in and bumps the generation once", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    await store.snapshots.write("s", makeExport("old", 10));
    const staged = await store.snapshots.stage("s", makeExport("new", 2_000));
    expect(staged.manifest.chunks).toBeGreaterThan(1);
    expect((await store.snapshots.read("s"))?.manifest.runId).toBe("old");
    const gen = await store.generation.current();
    const committed = await store.snapshots.commit(staged);
    expect(committed.generation).toBe(gen + 1);
    expect((await store.snapshots.read("s"))?.manifest.runId).toBe("new");
    // A commit repeated (say after a timeout that Redis had in fact applied) changes nothing.
    const again = await store.snapshots.commit(staged);
    expect(again.manifest.writeId).toBe(committed.manifest.writeId);
    expect(await store.generation.current()).toBe(gen + 1);
    expect((await store.snapshots.list("s")).map((m) => m.runId)).toEqual(["new", "old"]);
  });

  it("a staged part is read back by another instance, expires by its own TTL, and can be discarded at once", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    const long = await store.snapshots.stage("s", makeExport("part-a", 2_000), { ttlMs: 60_000 });
    const short = await store.snapshots.stage("s", makeExport("part-b", 5), { ttlMs: 40 });
    expect(long.manifest.chunks).toBeGreaterThan(1);
    expect(await d.open().snapshots.readStaged(long)).toEqual(makeExport("part-a", 2_000));
    // Staging is not committing: the scope still has no snapshot.
    expect(await store.snapshots.read("s")).toBeUndefined();
    await pause(60);
    const gone: unknown = await store.snapshots.readStaged(short).catch((x: unknown) => x);
    expect(isSnapshotError(gone) && gone.reason).toBe("unreadable");
    await store.snapshots.discard(long);
    const discarded: unknown = await store.snapshots.readStaged(long).catch((x: unknown) => x);
    expect(isSnapshotError(discarded) && discarded.reason).toBe("unreadable");
  });

  it("refuses to commit a snapshot whose staged chunk is gone, and leaves the current one in place", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { chunkBytes: 16_384 } });
    await store.snapshots.write("s", makeExport("good", 10));
    const staged = await store.snapshots.stage("s", makeExport("partial", 2_000));
    await d.raw().del([`${d.prefix}:snap:s:chunk:${staged.manifest.writeId}:1`]);
    const e: unknown = await store.snapshots.commit(staged).catch((x: unknown) => x);
    expect(isSnapshotError(e) && e.reason).toBe("incomplete");
    expect((await store.snapshots.read("s"))?.manifest.runId).toBe("good");
  });

  it("keeps the last N snapshots for diffs and expires the chunks of older ones", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { keep: 3, retiredGraceMs: 1 } });
    const writeIds: string[] = [];
    for (let i = 1; i <= 5; i++) writeIds.push((await store.snapshots.write("s", makeExport(`run-${i}`, 5))).manifest.writeId);
    expect((await store.snapshots.list("s")).map((m) => m.runId)).toEqual(["run-5", "run-4", "run-3"]);
    expect((await store.snapshots.read("s", "run-4"))?.export.runId).toBe("run-4");
    expect(await store.snapshots.read("s", "run-1")).toBeUndefined();
    await pause(10);
    const raw = d.raw();
    const chunk0 = (writeId: string): string => `${d.prefix}:snap:s:chunk:${writeId}:0`;
    expect(await raw.exists(chunk0(writeIds[0]!))).toBe(false);
    expect(await raw.exists(chunk0(writeIds[1]!))).toBe(false);
    for (const kept of writeIds.slice(2)) expect(await raw.exists(chunk0(kept))).toBe(true);
    expect(await raw.listRange(`${d.prefix}:snap:s:retired`)).toEqual([]);
  });

  it("verifies the checksum on read and falls back to the previous good snapshot", async () => {
    const d = drivers(name);
    const store = d.open();
    await store.snapshots.write("s", makeExport("good", 20));
    const bad = await store.snapshots.write("s", makeExport("bad", 20));
    await d.raw().set(`${d.prefix}:snap:s:chunk:${bad.manifest.writeId}:0`, Buffer.from("not the same bytes").toString("base64"));
    const read = await store.snapshots.read("s");
    expect(read?.export.runId).toBe("good");
    expect(read).toMatchObject({ fellBack: true, skipped: [{ runId: "bad" }] });
    expect(read?.skipped[0]?.why).toMatch(/checksum|truncated/);
    expect(d.logs.some((r) => r.level === "warn" && r.runId === "bad")).toBe(true);

    await d.raw().del([`${d.prefix}:snap:s:chunk:${read?.manifest.writeId}:0`]);
    const e: unknown = await store.snapshots.read("s").catch((x: unknown) => x);
    expect(isSnapshotError(e) && e.reason).toBe("unreadable");
  });

  it("skips a snapshot that is not the export its manifest describes; `full` validation also checks every resource", async () => {
    const d = drivers(name);
    const store = d.open({ snapshots: { validate: "full" } });
    await store.snapshots.write("s", makeExport("good", 5));
    const bad = makeExport("bad", 5);
    (bad.resources[2] as { type?: unknown }).type = 42;
    await store.snapshots.write("s", bad);
    const read = await store.snapshots.read("s");
    expect(read).toMatchObject({ fellBack: true, export: { runId: "good" }, skipped: [{ runId: "bad" }] });
    expect(read?.skipped[0]?.why).toMatch(/not an export/);
    // The default (shallow) check passes it: the checksum proves these are the bytes written.
    expect((await d.open().snapshots.read("s"))?.export.runId).toBe("bad");

    const headKey = `${d.prefix}:snap:s:head`;
    const head = JSON.parse((await d.raw().get(headKey))!) as { current: { resources: number } };
    head.current.resources = 6;
    await d.raw().set(headKey, JSON.stringify(head));
    const mismatch = await d.open().snapshots.read("s");
    expect(mismatch).toMatchObject({ fellBack: true, export: { runId: "good" } });
    expect(mismatch?.skipped[0]?.why).toMatch(/does not match its manifest/);
  });

  it("a reader polling while a writer commits never sees a partial or mixed snapshot", async () => {
    const d = drivers(name);
    const size = 1_500;
    const options = { snapshots: { chunkBytes: 16_384, readBatch: 1, keep: 2 } };
    const writer = d.open(options);
    const reader = d.open(options);
    await writer.snapshots.write("s", makeExport("run-0", size));
    const committed = new Set(["run-0"]);
    let done = false;
    let reads = 0;
    const writing = (async () => {
      // At least 6 commits, and on until the reader has read 8 times (capped).
      for (let i = 1; (i <= 6 || reads < 8) && i <= 500; i++) {
        const { manifest } = await writer.snapshots.write("s", makeExport(`run-${i}`, size));
        committed.add(manifest.runId);
        // Let the reader's pending reads run between commits, however the machine schedules us.
        await new Promise((resolve) => setImmediate(resolve));
      }
      done = true;
    })();
    const seen = new Set<string>();
    while (!done) {
      const read = await reader.snapshots.read("s");
      if (read === undefined) throw new Error("the snapshot disappeared");
      expect(read.fellBack).toBe(false);
      expect(isWhole(read.export, size), read.export.runId).toBe(true);
      expect(read.manifest.runId).toBe(read.export.runId);
      seen.add(read.export.runId);
      reads++;
    }
    await writing;
    for (const runId of seen) expect(committed.has(runId), runId).toBe(true);
    expect(reads).toBeGreaterThanOrEqual(8);
    expect(seen.size).toBeGreaterThan(1);
  });

  it("round-trips a 100,000-resource snapshot in chunks that each fit the request limit", { timeout: 120_000 }, async () => {
    const d = drivers(name);
    const store = d.open();
    const exp = makeExport("big", 100_000);
    d.stack?.bridge.resetStats();
    const { manifest } = await store.snapshots.write("tenant", exp);
    expect(manifest.resources).toBe(100_000);
    expect(manifest.chunks).toBeGreaterThan(1);
    expect(manifest.storedBytes / manifest.chunks).toBeLessThanOrEqual(CHUNK_LIMIT);
    const read = await d.open().snapshots.read("tenant");
    expect(read?.manifest.sha256).toBe(manifest.sha256);
    expect(isWhole(read!.export, 100_000)).toBe(true);
    expect(read!.export).toEqual(exp);
    if (d.stack !== undefined) {
      // Every chunk went in a request of its own, and the bridge (which refuses bodies over the limit) took them all.
      expect(d.stack.bridge.stats().byPath["/pipeline"]).toBeGreaterThanOrEqual(manifest.chunks);
    }
  });

  if (name === "upstash") {
    it("the bridge really refuses a request over the limit: a store told a larger chunk size cannot stage", async () => {
      const d = drivers(name);
      const store = d.open({ snapshots: { chunkBytes: 4 * CHUNK_LIMIT } });
      // Random bytes do not compress: about 1.5 MB of chunk in one request.
      const noisy = makeExport("too-big", 2_000);
      for (const r of noisy.resources) r.properties = { noise: randomBytes(600).toString("hex") };
      const e: unknown = await store.snapshots.stage("s", noisy).catch((x: unknown) => x);
      expect(isStoreUnavailableError(e)).toBe(true);
      expect(String((e as Error).cause)).toMatch(/max request size/);
    });
  }
});
