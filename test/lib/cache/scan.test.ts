// Pattern invalidation as redis-server sees it (MONITOR): SCAN with an escaped MATCH, never KEYS;
// and the in-memory driver's glob agreeing with redis-server's on arbitrary patterns.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStore, escapeGlob, globMatch } from "../../../lib/cache/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";
import { monitor } from "./support/redis-tools.js";

let stack: UpstashStack;
beforeAll(async () => {
  stack = await startUpstashStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe("invalidation on redis-server", () => {
  it("runs SCAN with every caller part escaped in MATCH, and never KEYS", async () => {
    const settings = {
      UPSTASH_REDIS_REST_URL: stack.url,
      UPSTASH_REDIS_REST_TOKEN: stack.token,
      CACHE_TIMEOUT_MS: 5_000,
      CACHE_MAX_ENTRIES: 10_000,
      SNAPSHOT_CHUNK_BYTES: 1_000_000,
      SNAPSHOT_KEEP: 3,
    };
    const cache = createStore(settings, createLogger({ write: () => {} }), { prefix: "mon" }).cache("ids");
    const id = "/subscriptions/s/resourceGroups/rg*?[x]\\";
    await cache.set(["rg", id], { n: 1 }, { ttlMs: 60_000 });
    await cache.set(["rg", "/subscriptions/s/resourceGroups/rgA"], { n: 2 }, { ttlMs: 60_000 });
    const watch = await monitor(stack.redis.port);
    try {
      expect(await cache.invalidate(["rg", id])).toEqual({ deleted: 1, complete: true });
      await cache.invalidate();
      // MONITOR lines arrive asynchronously; a final PING marks the end.
      await stack.client().ping();
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      watch.stop();
    }
    const commands = watch.commands();
    expect(commands).toContain("SCAN");
    expect(commands).not.toContain("KEYS");
    // MONITOR quotes arguments with backslashes doubled: the pattern carried \* \? \[ \] \\ escapes.
    const scans = watch.lines().filter((l) => /\] "scan"/i.test(l));
    expect(scans).toHaveLength(2);
    expect(scans[0]).toContain(String.raw`rg\\*\\?\\[x\\]\\\\:*`);
  });

  it("the in-memory driver's glob matches exactly what redis-server's SCAN MATCH matches (property)", async () => {
    const redis = stack.client({ automaticDeserialization: false });
    const unit = fc.constantFrom("a", "b", "*", "?", "[", "]", "\\", "^", "-", "é");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit, minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.string({ unit, minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        async (pattern, suffixes) => {
          const prefix = `glob${++run}:`;
          await redis.mset(Object.fromEntries(suffixes.map((s) => [prefix + s, "v"])));
          const match = escapeGlob(prefix) + pattern;
          const found = new Set<string>();
          let cursor = "0";
          do {
            const [next, keys] = await redis.scan(cursor, { match, count: 1_000 });
            keys.forEach((k) => found.add(String(k)));
            cursor = String(next);
          } while (cursor !== "0");
          const expected = suffixes.map((s) => prefix + s).filter((k) => globMatch(match, k));
          expect([...found].sort(), JSON.stringify({ pattern, suffixes })).toEqual(expected.sort());
        },
      ),
      { numRuns: 80 },
    );
  });
});
