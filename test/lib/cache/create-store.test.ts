import { describe, expect, it } from "vitest";

import { createStore } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger, type LogRecord } from "../../../lib/log/index.js";

function capture(): { log: ReturnType<typeof createLogger>; records: LogRecord[]; lines: string[] } {
  const records: LogRecord[] = [];
  const lines: string[] = [];
  const log = createLogger({
    write: (line, r) => {
      lines.push(line);
      records.push(r);
    },
  });
  return { log, records, lines };
}

describe("createStore", () => {
  it("uses the in-memory driver when Upstash is not configured, with the cache settings' defaults, and says so", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ CACHE_TIMEOUT_MS: 250, SNAPSHOT_CHUNK_BYTES: 1_000_000, SNAPSHOT_KEEP: 3, CACHE_MAX_ENTRIES: 10_000 });
    const { log, records } = capture();
    const store = createStore(config, log);
    expect(store.driver).toBe("memory");
    expect(store.state()).toMatchObject({ driver: "memory", state: "up", breaker: "closed" });
    expect(records).toEqual([expect.objectContaining({ level: "info", driver: "memory", maxEntries: 10_000 })]);
  });

  it("uses Upstash when URL and token are set, logs the endpoint and never the token", () => {
    const config = loadConfig({
      UPSTASH_REDIS_REST_URL: "https://eu1-example.upstash.io",
      UPSTASH_REDIS_REST_TOKEN: "s3cr3t-token-value",
      CACHE_TIMEOUT_MS: "400",
    });
    const { log, records, lines } = capture();
    const store = createStore(config, log);
    expect(store.driver).toBe("upstash");
    expect(records).toEqual([
      expect.objectContaining({ level: "info", driver: "upstash", endpoint: "eu1-example.upstash.io", timeoutMs: 400 }),
    ]);
    expect(lines.join("\n")).not.toContain("s3cr3t-token-value");
  });

  it("rejects cache settings of the wrong shape, naming the variable", () => {
    expect(() => loadConfig({ SNAPSHOT_CHUNK_BYTES: "100" })).toThrow(/SNAPSHOT_CHUNK_BYTES.*integer 16384-104857600/);
    expect(() => loadConfig({ SNAPSHOT_KEEP: "0" })).toThrow(/SNAPSHOT_KEEP/);
    expect(() => loadConfig({ CACHE_TIMEOUT_MS: "fast" })).toThrow(/CACHE_TIMEOUT_MS/);
  });
});
