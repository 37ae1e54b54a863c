// The cache helpers against both drivers: Upstash (redis-server behind the REST bridge, real
// @upstash/redis client) and in-memory. Same tests, same expectations.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { DRIVERS, pause, useDrivers } from "../support/harness.js";

const drivers = useDrivers();
const item = z.object({ name: z.string(), n: z.number() });

describe.each(DRIVERS)("cache helpers (%s)", (name) => {
  it("sets and gets JSON values by namespaced key; a missing key is undefined", async () => {
    const d = drivers(name);
    const cache = d.open().cache("items");
    expect(await cache.get(["vm", "a"], item)).toBeUndefined();
    expect(await cache.set(["vm", "a"], { name: "a", n: 1 }, { ttlMs: 60_000 })).toEqual({ stored: true });
    expect(await cache.get(["vm", "a"], item)).toEqual({ name: "a", n: 1 });
    expect(await cache.exists(["vm", "a"])).toBe(true);
    expect(await d.open().cache("other").get(["vm", "a"], item)).toBeUndefined();
    expect(await cache.delete(["vm", "a"])).toBe(true);
    expect(await cache.delete(["vm", "a"])).toBe(false);
    expect(await cache.exists(["vm", "a"])).toBe(false);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, sets: 1, deleted: 1, errors: 0 });
  });

  it("keeps parts apart: a ':' inside a part never makes it another key", async () => {
    const cache = drivers(name).open().cache("parts");
    await cache.set(["a:b"], { name: "joined", n: 1 }, { ttlMs: 60_000 });
    await cache.set(["a", "b"], { name: "nested", n: 2 }, { ttlMs: 60_000 });
    expect(await cache.get(["a:b"], item)).toEqual({ name: "joined", n: 1 });
    expect(await cache.get(["a", "b"], item)).toEqual({ name: "nested", n: 2 });
  });

  it("expires values after their TTL (the server's clock, PX)", async () => {
    const cache = drivers(name).open().cache("ttl");
    // No check in between: on a busy machine the round trip alone could outlast a short TTL.
    expect(await cache.set("short", { name: "s", n: 1 }, { ttlMs: 30 })).toEqual({ stored: true });
    await cache.set("long", { name: "l", n: 1 }, { ttlMs: 60_000 });
    await pause(45);
    expect(await cache.exists("short")).toBe(false);
    expect(await cache.get("short", item)).toBeUndefined();
    expect(await cache.exists("long")).toBe(true);
    expect(await cache.get("long", item)).toEqual({ name: "l", n: 1 });
  });

  it("treats a corrupt or foreign value as a logged miss, not a crash", async () => {
    const d = drivers(name);
    const store = d.open();
    const cache = store.cache("corrupt");
    const raw = d.raw();
    await raw.set(`${d.prefix}:c:corrupt:garbage`, "{not json");
    await raw.set(`${d.prefix}:c:corrupt:foreign`, JSON.stringify({ hello: "world" }));
    await cache.set("wrong-shape", { name: 1 }, { ttlMs: 60_000 });
    expect(await cache.get("garbage", item)).toBeUndefined();
    expect(await cache.get("foreign", item)).toBeUndefined();
    expect(await cache.get("wrong-shape", item)).toBeUndefined();
    expect(cache.stats).toMatchObject({ corrupt: 3, misses: 3, errors: 0 });
    const warnings = d.logs.filter((r) => r.level === "warn" && r.message.includes("unreadable"));
    expect(warnings.map((w) => w.key)).toEqual([
      `${d.prefix}:c:corrupt:garbage`,
      `${d.prefix}:c:corrupt:foreign`,
      `${d.prefix}:c:corrupt:wrong-shape`,
    ]);
    // cached() repairs it: a corrupt value is a miss, the source answers and overwrites it.
    expect(await cache.cached(async () => ({ name: "fixed", n: 2 }), { key: "garbage", ttlMs: 60_000, schema: item })).toEqual({
      name: "fixed",
      n: 2,
    });
    expect(await cache.get("garbage", item)).toEqual({ name: "fixed", n: 2 });
  });

  it("invalidates by pattern with every caller part escaped: *, ?, [, ] and \\ in ids match only themselves", async () => {
    const cache = drivers(name).open().cache("adversarial");
    const base = "/subscriptions/s/resourceGroups/rg";
    const ids = [
      `${base}*`,
      `${base}?`,
      `${base}[`,
      `${base}[a-z]`,
      `${base}\\`,
      `${base}\\*`,
      `${base}x`,
      `${base}`,
      `${base}*x`,
      `${base}a`,
    ];
    for (const id of ids) {
      await cache.set(["rg", id], { name: id, n: 0 }, { ttlMs: 60_000 });
      await cache.set(["rg", id, "child"], { name: id, n: 1 }, { ttlMs: 60_000 });
    }
    const gone = async (id: string): Promise<boolean> => !(await cache.exists(["rg", id])) && !(await cache.exists(["rg", id, "child"]));
    for (const victim of [`${base}*`, `${base}?`, `${base}[`, `${base}\\`]) {
      const result = await cache.invalidate(["rg", victim]);
      expect(result, victim).toEqual({ deleted: 2, complete: true });
      expect(await gone(victim), victim).toBe(true);
    }
    for (const survivor of [`${base}[a-z]`, `${base}\\*`, `${base}x`, base, `${base}*x`, `${base}a`]) {
      expect(await cache.exists(["rg", survivor]), survivor).toBe(true);
      expect(await cache.exists(["rg", survivor, "child"]), survivor).toBe(true);
    }
    expect(await cache.invalidate()).toEqual({ deleted: 12, complete: true });
  });

  it("invalidation deletes exactly the prefix and what nests under it, for arbitrary ids (property)", async () => {
    const d = drivers(name);
    const store = d.open();
    const alphabet = fc.constantFrom("a", "b", "*", "?", "[", "]", "\\", "^", "-", ":", "%", "/");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ unit: alphabet, minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 6 }),
        async (ids) => {
          const cache = store.cache(`prop-${++run}`);
          for (const id of ids) await cache.set(["r", id], { name: id, n: 0 }, { ttlMs: 60_000 });
          const [victim] = ids;
          await cache.invalidate(["r", victim ?? ""]);
          for (const id of ids) expect(await cache.exists(["r", id]), JSON.stringify([victim, id])).toBe(id !== victim);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("cached(): concurrent misses for one key call the source once", async () => {
    const cache = drivers(name).open().cache("flight");
    const source = vi.fn(async () => {
      await pause(20);
      return { name: "loaded", n: 1 };
    });
    const results = await Promise.all(Array.from({ length: 25 }, () => cache.cached(source, { key: "k", ttlMs: 60_000, schema: item })));
    expect(source).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    await cache.cached(source, { key: "k", ttlMs: 60_000, schema: item });
    expect(source).toHaveBeenCalledTimes(1);
    expect(cache.stats).toMatchObject({ loads: 1, hits: 1, misses: 1 });
  });

  it("cached(): empty results are cached only when asked", async () => {
    const cache = drivers(name).open().cache("empty");
    const list = z.array(z.string());
    const none = vi.fn(async () => [] as string[]);
    await cache.cached(none, { key: "not-asked", ttlMs: 60_000, schema: list });
    await cache.cached(none, { key: "not-asked", ttlMs: 60_000, schema: list });
    expect(none).toHaveBeenCalledTimes(2);

    none.mockClear();
    expect(await cache.cached(none, { key: "asked", ttlMs: 60_000, schema: list, cacheEmpty: true })).toEqual([]);
    expect(await cache.cached(none, { key: "asked", ttlMs: 60_000, schema: list, cacheEmpty: true })).toEqual([]);
    expect(none).toHaveBeenCalledTimes(1);

    const nothing = vi.fn(async () => null);
    await cache.cached(nothing, { key: "null", ttlMs: 60_000, schema: z.null(), cacheEmpty: true });
    expect(await cache.cached(nothing, { key: "null", ttlMs: 60_000, schema: z.null(), cacheEmpty: true })).toBeNull();
    expect(nothing).toHaveBeenCalledTimes(1);
  });

  it("cached(): stale-while-revalidate answers at once with the old value and refreshes once in the background", async () => {
    let clock = 1_700_000_000_000;
    const cache = drivers(name)
      .open({ now: () => clock })
      .cache("swr");
    let version = 0;
    const source = vi.fn(async () => ({ name: "v", n: ++version }));
    const opts = { key: "k", ttlMs: 1_000, staleWhileRevalidateMs: 60_000, schema: item };
    expect(await cache.cached(source, opts)).toEqual({ name: "v", n: 1 });
    clock += 1_500;
    const stale = await Promise.all([cache.cached(source, opts), cache.cached(source, opts)]);
    expect(stale).toEqual([
      { name: "v", n: 1 },
      { name: "v", n: 1 },
    ]);
    await cache.idle();
    expect(source).toHaveBeenCalledTimes(2);
    expect(await cache.cached(source, opts)).toEqual({ name: "v", n: 2 });
    // The two concurrent calls shared one read (single-flight), so one stale hit.
    expect(cache.stats).toMatchObject({ staleHits: 1, loads: 2 });

    // Without stale-while-revalidate a stale value is a miss.
    clock += 1_500;
    expect(await cache.cached(source, { key: "k", ttlMs: 1_000, schema: item })).toEqual({ name: "v", n: 3 });
  });

  it("a snapshot commit bumps the generation: generational answers computed before it are not served after", async () => {
    const d = drivers(name);
    const writer = d.open();
    const reader = d.open();
    const queries = reader.cache("queries", { generational: true });
    let answer = 0;
    const source = vi.fn(async () => ({ name: "impact", n: ++answer }));
    const opts = { key: ["impact", "/subscriptions/s/vm1"], ttlMs: 60_000, schema: item };
    expect(await queries.cached(source, opts)).toEqual({ name: "impact", n: 1 });
    expect(await queries.cached(source, opts)).toEqual({ name: "impact", n: 1 });

    const before = await reader.generation.current();
    const { generation } = await writer.snapshots.write("sub-1", (await import("../support/exports.js")).makeExport("run-1", 3));
    expect(generation).toBe(before + 1);
    // The reader never heard of the commit; its next read still sees the new generation.
    expect(await queries.cached(source, opts)).toEqual({ name: "impact", n: 2 });
    expect(source).toHaveBeenCalledTimes(2);
    expect(await reader.generation.current()).toBe(generation);
    // Plain caches are not generational.
    const plain = reader.cache("plain");
    await plain.set("k", { name: "p", n: 1 }, { ttlMs: 60_000 });
    await writer.generation.bump();
    expect(await plain.get("k", item)).toEqual({ name: "p", n: 1 });
  });

  it("cached() with a pinned generation reads and writes under that generation only, whatever the current one", async () => {
    const d = drivers(name);
    const store = d.open();
    const queries = store.cache("queries", { generational: true });
    const old = await store.generation.current();
    const current = await store.generation.bump();
    const source = vi.fn(async () => ({ name: "from-old-graph", n: 1 }));
    const opts = { key: ["risk"], ttlMs: 60_000, schema: item };
    expect(await queries.cached(source, { ...opts, generation: old })).toEqual({ name: "from-old-graph", n: 1 });
    expect(await d.raw().exists(`${d.prefix}:q:${old}:queries:risk`)).toBe(true);
    expect(await d.raw().exists(`${d.prefix}:q:${current}:queries:risk`)).toBe(false);
    // The current generation's callers do not see it; the pinned ones do, without calling the source.
    expect(await queries.cached(async () => ({ name: "from-new-graph", n: 2 }), opts)).toEqual({ name: "from-new-graph", n: 2 });
    expect(await queries.cached(source, { ...opts, generation: old })).toEqual({ name: "from-old-graph", n: 1 });
    expect(source).toHaveBeenCalledTimes(1);
  });

  it("counts statistics per namespace, and reports the driver and state", async () => {
    const d = drivers(name);
    const store = d.open();
    await store.cache("a").get("x", item);
    await store.cache("b").set("x", { name: "x", n: 1 }, { ttlMs: 60_000 });
    await store.cache("b").get("x", item);
    const stats = store.stats();
    expect(stats.a).toMatchObject({ misses: 1, hits: 0 });
    expect(stats.b).toMatchObject({ hits: 1, sets: 1 });
    expect(stats.b?.latency.count).toBe(1);
    expect(store.state()).toMatchObject({ driver: name, state: "up", breaker: "closed", counters: { failures: 0, refused: 0 } });
    expect(() => store.cache("a", { generational: true })).toThrow(TypeError);
  });
});
