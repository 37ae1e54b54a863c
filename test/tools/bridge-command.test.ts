// `topdeck bridge` as a real process in front of a real redis-server, used through the real
// @upstash/redis client: what `topdeck discover` and `topdeck serve` do with the printed URL and token.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort } from "../support/ports.js";
import { type RedisServer, startRedisServer } from "../support/redis.js";

// `node --import tsx`, not the tsx CLI: the CLI relays a signal to its child and kills it (exit
// 130/143) when the child does not confirm within 30 ms, which a loaded machine misses.
const root = join(import.meta.dirname, "..", "..");

function topdeck(args: string[]): { child: ChildProcess; done: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "tools/cli.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, done, stderr: () => stderr };
}

/** The first stdout line of `child`: its ready line. */
function readyLine(run: ReturnType<typeof topdeck>): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    run.child.stdout?.on("data", (c: Buffer) => {
      buffered += c.toString();
      const end = buffered.indexOf("\n");
      if (end >= 0) resolve(buffered.slice(0, end));
    });
    void run.done.then((code) => reject(new Error(`exited ${code} before it was ready: ${run.stderr()}`)));
  });
}

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

describe("topdeck bridge (spawned)", () => {
  it(
    "prints one JSON line with the URL and a random token, serves @upstash/redis, refuses a wrong token, stops on SIGTERM",
    { timeout: 60_000 },
    async () => {
      const run = topdeck(["bridge", "--redis", `redis://127.0.0.1:${redis.port}`]);
      const line = await readyLine(run);
      const ready = JSON.parse(line) as { url: string; token: string };
      expect(Object.keys(ready)).toEqual(["url", "token"]);
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.token.length).toBeGreaterThanOrEqual(16);

      const client = new Redis({ url: ready.url, token: ready.token, enableTelemetry: false, automaticDeserialization: false });
      await client.set("bridge-test", "hello", { px: 60_000 });
      expect(await client.get("bridge-test")).toBe("hello");
      expect(await client.incr("bridge-test-counter")).toBe(1);

      const wrong = await fetch(ready.url, {
        method: "POST",
        headers: { authorization: "Bearer nope", "content-type": "application/json" },
        body: '["PING"]',
      });
      expect(wrong.status).toBe(401);
      await wrong.arrayBuffer();
      const rejected: unknown = await new Redis({ url: ready.url, token: "nope", enableTelemetry: false, retry: { retries: 0 } })
        .get("bridge-test")
        .catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(Error);

      run.child.kill("SIGTERM");
      expect(await run.done).toBe(0);
    },
  );

  it("uses the --token and --port given, and stops on SIGINT", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const run = topdeck(["bridge", "--redis", `redis://127.0.0.1:${redis.port}`, "--port", String(port), "--token", "local-secret"]);
    expect(JSON.parse(await readyLine(run))).toEqual({ url: `http://127.0.0.1:${port}`, token: "local-secret" });
    const client = new Redis({ url: `http://127.0.0.1:${port}`, token: "local-secret", enableTelemetry: false });
    expect(await client.ping()).toBe("PONG");
    run.child.kill("SIGINT");
    expect(await run.done).toBe(0);
  });

  it("exits 2 naming the flag for bad flags or a redis-server that does not answer", { timeout: 60_000 }, async () => {
    const closed = await freePort();
    const cases: Array<[string[], string]> = [
      [[], "--redis"],
      [["--redis", "http://127.0.0.1:6379"], "--redis"],
      [["--redis", `redis://127.0.0.1:${redis.port}`, "--port", "70000"], "--port"],
      [["--redis", `redis://127.0.0.1:${redis.port}`, "--token", ""], "--token"],
      [["--redis", `redis://127.0.0.1:${redis.port}`, "--bogus"], "--bogus"],
      [["--redis", `redis://127.0.0.1:${closed}`], "--redis"],
    ];
    for (const [args, flag] of cases) {
      const run = topdeck(["bridge", ...args]);
      let stdout = "";
      run.child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
      expect(await run.done, args.join(" ")).toBe(2);
      expect(run.stderr(), args.join(" ")).toContain(flag);
      expect(stdout).toBe("");
    }
  });
});
