// The smallest chunk limit the settings allow (16,384 bytes), against a bridge that refuses any
// larger request: chunk writes in flight together must still go one per request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStore } from "../../../lib/cache/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";
import { isWhole, makeExport } from "./support/exports.js";

const LIMIT = 16_384;
let stack: UpstashStack;
beforeAll(async () => {
  stack = await startUpstashStack({ maxRequestBytes: LIMIT });
});
afterAll(async () => {
  await stack?.stop();
});

describe("snapshot chunks at the smallest limit", () => {
  it("writes many chunks four at a time, each in its own request within the limit", async () => {
    const settings = {
      UPSTASH_REDIS_REST_URL: stack.url,
      UPSTASH_REDIS_REST_TOKEN: stack.token,
      CACHE_TIMEOUT_MS: 5_000,
      CACHE_MAX_ENTRIES: 10_000,
      SNAPSHOT_CHUNK_BYTES: LIMIT,
      SNAPSHOT_KEEP: 3,
    };
    const store = createStore(settings, createLogger({ write: () => {} }), { prefix: "small" });
    stack.bridge.resetStats();
    const { manifest } = await store.snapshots.write("s", makeExport("run", 10_000));
    expect(manifest.chunks).toBeGreaterThan(8);
    expect(stack.bridge.stats().byPath["/pipeline"]).toBeGreaterThanOrEqual(manifest.chunks);
    const read = await store.snapshots.read("s");
    expect(isWhole(read!.export, 10_000)).toBe(true);
  });
});
