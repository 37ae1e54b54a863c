// Eight worst-case requests at once must fit a 512 MB instance: commit a generated snapshot of
// 100,000 resources to redis-server through the Upstash REST bridge, then run the requests in a
// process whose heap is capped at 512 MB, loading the snapshot as an instance does, and hold the
// heap they add under half of it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStore } from "../../../lib/cache/index.js";
import { loadConfig } from "../../../lib/config/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { generateEstate } from "../../../tools/estates/generate.js";
import { exportFromPayloads } from "../../../tools/estates/offline-export.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";

const script = fileURLToPath(new URL("./support/heap-worst-case.ts", import.meta.url));

/** The heap eight parallel requests may add over the loaded snapshot: half of a 512 MB instance. */
const ADDED_HEAP_BUDGET_MB = 256;

let stack: UpstashStack;
let targets: { hub: string; subscription: string; types: string[] };

beforeAll(async () => {
  stack = await startUpstashStack();
  const exp = exportFromPayloads(generateEstate({ resources: 100_000, types: 40, subscriptions: 2, seed: 7, referencesPerResource: 3 }), {
    runId: "heap",
  });
  const store = createStore(
    loadConfig({ UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token }),
    createLogger({ level: "error", write: () => undefined }),
    { snapshots: { bulkTimeoutMs: 60_000 } },
  );
  await store.snapshots.write("heap", exp);
  await store.idle();
  const dependents = new Map<string, number>();
  for (const e of exp.edges) dependents.set(e.to, (dependents.get(e.to) ?? 0) + 1);
  targets = {
    hub: [...dependents].sort((a, b) => b[1] - a[1])[0]![0],
    subscription: exp.scope.subscriptions[0]!,
    types: exp.resources.slice(0, 40).map((r) => r.type),
  };
}, 300_000);

afterAll(() => stack?.stop());

function run(): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--max-old-space-size=512", "--expose-gc", "--import", "tsx", script, "heap", JSON.stringify(targets)],
      {
        stdio: ["ignore", "pipe", "pipe"],
        // A generous store timeout: this measures heap, and a loaded CI machine must not turn slow replies into 503s.
        env: { ...process.env, UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token, CACHE_TIMEOUT_MS: "20000" },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("heap under eight parallel worst-case requests", () => {
  it("stays within the budget of a 512 MB instance over a generated 100,000-resource snapshot", async () => {
    const { code, out, err } = await run();
    expect(code, err.slice(-2_000)).toBe(0);
    const result = JSON.parse(out.trim().split("\n").at(-1)!) as { baselineMB: number; peakMB: number; statuses: number[] };
    expect(result.statuses).toHaveLength(16);
    expect(result.statuses.filter((s) => s >= 500)).toEqual([]);
    expect(result.statuses).toContain(413);
    expect(result.peakMB - result.baselineMB).toBeLessThan(ADDED_HEAP_BUDGET_MB);
    expect(result.peakMB).toBeLessThan(450);
  }, 240_000);
});
