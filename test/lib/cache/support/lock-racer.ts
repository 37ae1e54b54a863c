// A separate process racing for one lock: `node --import tsx lock-racer.ts <url> <token> <prefix> <durationMs>`.
// It prints "ready", waits for "go" on stdin, then for durationMs it takes the lock, holds it 3 ms, releases it, and tries
// again; then prints one JSON line: every hold (fencing token, start, end) and how often it was refused.
import { createStore } from "../../../../lib/cache/index.js";
import { createLogger } from "../../../../lib/log/index.js";

const [url, token, prefix, durationMs] = process.argv.slice(2);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const settings = {
  UPSTASH_REDIS_REST_URL: url,
  UPSTASH_REDIS_REST_TOKEN: token,
  CACHE_TIMEOUT_MS: 5_000,
  CACHE_MAX_ENTRIES: 10_000,
  SNAPSHOT_CHUNK_BYTES: 1_000_000,
  SNAPSHOT_KEEP: 3,
};
const store = createStore(settings, createLogger({ write: () => {} }), { prefix });
await store.generation.current(); // warm the HTTP connection before the race
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
process.stdin.pause();
const until = Date.now() + Number(durationMs);
const holds: { token: number; from: number; to: number }[] = [];
let refused = 0;
// On a loaded machine the duration alone may give too few rounds: keep going (up to 10 s more)
// until this racer has held the lock a few times and been refused at least once.
const enough = () => holds.length >= 6 && refused > 0;
while (Date.now() < until || (!enough() && Date.now() < until + 10_000)) {
  const result = await store.locks.acquire("shared", { ttlMs: 5_000 });
  if (!result.acquired) {
    refused++;
    await sleep(1);
    continue;
  }
  const from = Date.now();
  await sleep(3);
  // Taken before the release, so the next holder's `from` cannot precede it.
  const to = Date.now();
  holds.push({ token: result.lease.fencingToken, from, to });
  await result.lease.release();
}
process.stdout.write(`${JSON.stringify({ pid: process.pid, holds, refused })}\n`);
