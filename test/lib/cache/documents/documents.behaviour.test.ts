// Documents against both drivers: JSON state shared between instances, with a TTL, checked by a
// schema on read, and failures that throw (unlike a cache, whose failure is a miss).
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { isStoreUnavailableError, MemoryDriver, MemoryKeyspace, Store, type StoreDriver } from "../../../../lib/cache/index.js";
import { DRIVERS, pause, useDrivers } from "../support/harness.js";

const drivers = useDrivers();
const runSchema = z.object({ runId: z.string(), status: z.enum(["queued", "running"]) });

describe.each(DRIVERS)("documents (%s)", (name) => {
  it("one instance writes, another reads; many are read in one call in the order asked", async () => {
    const d = drivers(name);
    const [a, b] = [d.open(), d.open()];
    await a.documents.set("runs", ["r1"], { runId: "r1", status: "queued" }, 60_000);
    await a.documents.set("runs", ["r:2"], { runId: "r:2", status: "running" }, 60_000);
    expect(await b.documents.get("runs", ["r1"], runSchema)).toEqual({ runId: "r1", status: "queued" });
    expect(await b.documents.getMany("runs", [["r:2"], ["missing"], ["r1"]], runSchema)).toEqual([
      { runId: "r:2", status: "running" },
      undefined,
      { runId: "r1", status: "queued" },
    ]);
    expect(await b.documents.getMany("runs", [], runSchema)).toEqual([]);
    // Namespaces and key parts do not collide: ["r", "1"] is not ["r1"] nor "r:1".
    expect(await b.documents.get("runs", ["r", "2"], runSchema)).toBeUndefined();
    expect(await b.documents.get("other", ["r1"], runSchema)).toBeUndefined();
  });

  it("a document expires after its TTL; one that fails the schema reads as absent", async () => {
    const d = drivers(name);
    const store = d.open();
    await store.documents.set("runs", ["bad"], { runId: 7 }, 60_000);
    // The same document with a long TTL stays and with a short one goes: the TTL is what differs.
    // (No check that the short one is there first: on a loaded machine 40 ms can pass before it.)
    await store.documents.set("runs", ["long"], { runId: "long", status: "queued" }, 60_000);
    await store.documents.set("runs", ["short"], { runId: "short", status: "queued" }, 5);
    await pause(40);
    expect(await store.documents.get("runs", ["long"], runSchema)).toBeDefined();
    expect(await store.documents.get("runs", ["short"], runSchema)).toBeUndefined();
    expect(await store.documents.get("runs", ["bad"], runSchema)).toBeUndefined();
    await d.raw().set(`${d.prefix}:doc:runs:garbled`, "{not json");
    expect(await store.documents.get("runs", ["garbled"], runSchema)).toBeUndefined();
  });

  it("compare-and-set: writes only over the version read (or over nothing), refuses a changed or absent one", async () => {
    const d = drivers(name);
    const [a, b] = [d.open(), d.open()];
    expect(await a.documents.getVersioned("runs", ["cas"], runSchema)).toBeUndefined();
    expect(await a.documents.setIfVersion("runs", ["cas"], { runId: "cas", status: "queued" }, 60_000, null)).toBe(true);
    // Absent was expected, but it is there now.
    expect(await b.documents.setIfVersion("runs", ["cas"], { runId: "cas", status: "running" }, 60_000, null)).toBe(false);
    const seen = await b.documents.getVersioned("runs", ["cas"], runSchema);
    expect(seen?.value).toEqual({ runId: "cas", status: "queued" });
    const version = seen!.version;
    expect(await b.documents.setIfVersion("runs", ["cas"], { runId: "cas", status: "running" }, 60_000, version)).toBe(true);
    // A second writer with the same (now old) version loses and changes nothing.
    expect(await a.documents.setIfVersion("runs", ["cas"], { runId: "cas", status: "queued" }, 60_000, version)).toBe(false);
    const after = await a.documents.getVersioned("runs", ["cas"], runSchema);
    expect(after?.value).toEqual({ runId: "cas", status: "running" });
    expect(after?.version).not.toBe(version);
    expect(await a.documents.get("runs", ["cas"], runSchema)).toEqual({ runId: "cas", status: "running" });
    // A version of a key that is gone does not match either.
    expect(await a.documents.setIfVersion("runs", ["gone"], { runId: "gone", status: "queued" }, 60_000, version)).toBe(false);
    expect(await a.documents.get("runs", ["gone"], runSchema)).toBeUndefined();
  });

  it("a compare-and-set write gets its TTL", async () => {
    const d = drivers(name);
    const store = d.open();
    expect(await store.documents.setIfVersion("runs", ["ttl"], { runId: "ttl", status: "queued" }, 30, null)).toBe(true);
    await pause(45);
    expect(await store.documents.getVersioned("runs", ["ttl"], runSchema)).toBeUndefined();
  });
});

describe("documents when the store fails", () => {
  it("a failing driver makes reads and writes throw StoreUnavailableError (a run must not mistake it for absence)", async () => {
    const failing: StoreDriver = new Proxy(new MemoryDriver(new MemoryKeyspace()), {
      get: (target, prop, receiver) =>
        prop === "name"
          ? "memory"
          : typeof Reflect.get(target, prop, receiver) === "function"
            ? () => Promise.reject(new Error("connection refused"))
            : Reflect.get(target, prop, receiver),
    });
    const store = new Store({ driver: failing, log: undefined });
    const read: unknown = await store.documents.get("runs", ["r1"], runSchema).catch((e: unknown) => e);
    expect(isStoreUnavailableError(read)).toBe(true);
    const write: unknown = await store.documents.set("runs", ["r1"], { runId: "r1", status: "queued" }, 1_000).catch((e: unknown) => e);
    expect(isStoreUnavailableError(write)).toBe(true);
    const versioned: unknown = await store.documents.getVersioned("runs", ["r1"], runSchema).catch((e: unknown) => e);
    expect(isStoreUnavailableError(versioned)).toBe(true);
    const cas: unknown = await store.documents
      .setIfVersion("runs", ["r1"], { runId: "r1", status: "queued" }, 1_000, null)
      .catch((e: unknown) => e);
    expect(isStoreUnavailableError(cas)).toBe(true);
  });
});
