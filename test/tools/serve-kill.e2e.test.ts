// A worker killed mid-run: `topdeck serve` in a child process runs discovery's queue work in
// process; SIGKILL while a run is half done must leave the previous snapshot current and the scope
// lock recoverable (it expires after DISCOVERY_LOCK_TTL_MS), so a new process runs the next one.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStore, type Store } from "../../lib/cache/index.js";
import { loadConfig } from "../../lib/config/index.js";
import { createLogger } from "../../lib/log/index.js";
import { sampleEstatePath } from "../../tools/paths.js";
import { startUpstashStack, type UpstashStack } from "../support/redis.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const LOCK_TTL_MS = 5_000;

interface Run {
  runId: string;
  status: string;
  failure?: string;
  subscriptions: Array<{ status: string; typesDone: number }>;
}

/** `topdeck serve` in a process of its own (one process: node with tsx's loader, no wrapper). */
function serveProcess(env: NodeJS.ProcessEnv, latencyMs: number): { child: ChildProcess; api: Promise<string>; output: () => string } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tools/cli.ts", "serve", "--port", "0", "--estate", sampleEstatePath(), "--latency-ms", String(latencyMs)],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  const api = new Promise<string>((resolve, reject) => {
    const seen = (chunk: Buffer): void => {
      text += chunk.toString();
      const found = /TopDeck API on (http:\/\/127\.0\.0\.1:\d+\/api)/.exec(text);
      if (found) resolve(found[1]!);
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("exit", (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before listening:\n${text}`)));
  });
  return { child, api, output: () => text };
}

const json = async <T>(url: string, init?: RequestInit): Promise<T> => (await (await fetch(url, init)).json()) as T;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** POSTs a run and waits until one of its subscriptions is being discovered; its run id. */
async function startRunHalfWay(api: string): Promise<string> {
  const started = await fetch(`${api}/discovery/runs`, { method: "POST" });
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as Run;
  await until("the run to be half way", async () => {
    const run = await json<Run>(`${api}/discovery/runs/${runId}`);
    return run.subscriptions.some((s) => s.status === "running" && s.typesDone > 0) ? run : undefined;
  });
  return runId;
}

describe("a serve process killed mid-run", () => {
  let stack: UpstashStack;
  let store: Store;
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startUpstashStack();
    env = {
      UPSTASH_REDIS_REST_URL: stack.url,
      UPSTASH_REDIS_REST_TOKEN: stack.token,
      CACHE_TIMEOUT_MS: "5000",
      DISCOVERY_LOCK_TTL_MS: String(LOCK_TTL_MS),
      TOPDECK_SUBSCRIPTIONS: "",
    };
    store = createStore(loadConfig(env), createLogger({ level: "error", write: () => undefined }));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await stack?.stop();
  });

  it("leaves the previous snapshot current; the lock expires and a new process runs the next discovery", { timeout: 120_000 }, async () => {
    // The first process commits a snapshot with its first run, then starts a second, slow one.
    const first = serveProcess(env, 150);
    children.push(first.child);
    const api = await first.api;
    const previous = await json<Run>(`${api}/discovery/runs/latest`);
    expect(previous.status).toBe("succeeded");
    expect((await store.snapshots.list("tenant"))[0]?.runId).toBe(previous.runId);

    const runId = await startRunHalfWay(api);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    // Killed: nothing committed, the lock still names the dead run until it expires.
    expect((await store.snapshots.list("tenant"))[0]?.runId).toBe(previous.runId);
    expect(await store.locks.holder("discovery:tenant")).toBe(runId);
    await until(
      "the lock to expire",
      async () => ((await store.locks.holder("discovery:tenant")) === null ? true : undefined),
      LOCK_TTL_MS * 4,
    );

    // A new process: its first run takes the scope and commits; the dead run reads as failed.
    const second = serveProcess(env, 0);
    children.push(second.child);
    const api2 = await second.api;
    const latest = await json<Run>(`${api2}/discovery/runs/latest`);
    expect(latest.runId).not.toBe(runId);
    expect(latest.status).toBe("succeeded");
    expect((await store.snapshots.list("tenant"))[0]?.runId).toBe(latest.runId);
    const dead = await json<Run>(`${api2}/discovery/runs/${runId}`);
    expect(dead.status).toBe("failed");
    expect(dead.failure).toMatch(/^abandoned/);
    second.child.kill("SIGTERM");
  });

  it(
    "Ctrl+C while a run is in progress waits for it, saying so; a second Ctrl+C stops at once and commits nothing",
    { timeout: 120_000 },
    async () => {
      const serve = serveProcess(env, 150);
      children.push(serve.child);
      const api = await serve.api;
      const before = (await store.snapshots.list("tenant"))[0]?.runId;
      const runId = await startRunHalfWay(api);
      const exited = new Promise<number | null>((resolve) => serve.child.once("exit", (code) => resolve(code)));
      serve.child.kill("SIGINT");
      await until("the waiting notice", async () =>
        serve.output().includes("waiting for the discovery run in progress") ? true : undefined,
      );
      serve.child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect((await store.snapshots.list("tenant"))[0]?.runId).toBe(before);
      expect(await store.locks.holder("discovery:tenant")).toBe(runId);
    },
  );
});
