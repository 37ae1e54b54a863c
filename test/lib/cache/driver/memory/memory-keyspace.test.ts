import { describe, expect, it } from "vitest";

import { MemoryDriver, MemoryKeyspace } from "../../../../../lib/cache/index.js";

describe("MemoryKeyspace", () => {
  it("expires entries by the injected clock", () => {
    let now = 1_000;
    const ks = new MemoryKeyspace({ now: () => now });
    ks.write("a", "1", 100);
    ks.write("b", "2");
    now += 99;
    expect(ks.read("a")).toBe("1");
    now += 1;
    expect(ks.read("a")).toBeUndefined();
    expect(ks.read("b")).toBe("2");
    expect([...ks.keys()]).toEqual(["b"]);
  });

  it("evicts the least recently used entry with a TTL first, persistent ones only when no other is left", () => {
    const ks = new MemoryKeyspace({ maxEntries: 3, now: () => 0 });
    ks.write("persistent", "p");
    ks.write("v1", "1", 1_000);
    ks.write("v2", "2", 1_000);
    ks.read("v1");
    ks.write("v3", "3", 1_000);
    expect([...ks.keys()].sort()).toEqual(["persistent", "v1", "v3"]);
    ks.write("p2", "x");
    ks.write("p3", "y");
    expect([...ks.keys()].sort()).toEqual(["p2", "p3", "persistent"]);
    ks.write("p4", "z");
    expect([...ks.keys()].sort()).toEqual(["p2", "p3", "p4"]);
    expect(ks.evictions).toBe(4);
    expect(ks.size).toBe(3);
  });

  it("expire() sets and clears TTLs", () => {
    let now = 0;
    const ks = new MemoryKeyspace({ now: () => now });
    ks.write("k", "v", 10);
    expect(ks.expire("k", undefined)).toBe(true);
    now = 100;
    expect(ks.read("k")).toBe("v");
    expect(ks.expire("k", 5)).toBe(true);
    now = 105;
    expect(ks.read("k")).toBeUndefined();
    expect(ks.expire("k", 5)).toBe(false);
  });

  it("rejects a bound below 1", () => {
    expect(() => new MemoryKeyspace({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe("MemoryDriver", () => {
  it("pages SCAN with a cursor and returns every key present for the whole scan exactly once", async () => {
    const d = new MemoryDriver();
    for (let i = 0; i < 25; i++) await d.set(`k:${String(i).padStart(2, "0")}`, "v");
    await d.set("other", "v");
    const seen: string[] = [];
    let cursor = "0";
    let pages = 0;
    do {
      const page = await d.scan(cursor, "k:*", 7);
      seen.push(...page.keys);
      cursor = page.cursor;
      pages++;
      if (pages === 2) await d.del(["k:24"]);
    } while (cursor !== "0");
    expect(pages).toBeGreaterThan(3);
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
  });

  it("answers WRONGTYPE for a string command on a list, like Redis", async () => {
    const d = new MemoryDriver();
    await d.swapPointer({ pointerKey: "p", expected: null, next: "x", requiredKeys: [], counterKey: "c", listKey: "l", listAppend: ["a"] });
    await expect(d.get("l")).rejects.toThrow(/WRONGTYPE/);
    expect(await d.listRange("l")).toEqual(["a"]);
  });
});

describe("MemoryKeyspace byte budget", () => {
  it("evicts the least recently used TTL'd entries past maxBytes, and never keeps a value larger than the budget", () => {
    const ks = new MemoryKeyspace({ maxBytes: 100 });
    ks.write("a", "x".repeat(40), 60_000);
    ks.write("b", "x".repeat(40), 60_000);
    ks.read("a");
    ks.write("c", "x".repeat(40), 60_000);
    expect(ks.read("b")).toBeUndefined();
    expect(ks.read("a")).toBeDefined();
    expect(ks.volatileBytes).toBeLessThanOrEqual(100);
    ks.write("huge", "x".repeat(200), 60_000);
    expect(ks.read("huge")).toBeUndefined();
    expect(ks.read("a")).toBeDefined();
  });

  it("does not count or evict persistent entries (snapshot chunks) for bytes", () => {
    const ks = new MemoryKeyspace({ maxBytes: 10 });
    ks.write("chunk", "x".repeat(1_000));
    ks.write("t", "y".repeat(5), 60_000);
    expect(ks.read("chunk")).toHaveLength(1_000);
    expect(ks.read("t")).toBe("yyyyy");
  });
});
