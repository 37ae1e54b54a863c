// Real redis-server (and the Upstash REST bridge in front of it) for integration tests.
//
// Usage: start in beforeAll and stop in afterAll, which vitest runs even when tests fail:
//
//   let stack: UpstashStack;
//   beforeAll(async () => { stack = await startUpstashStack(); });
//   afterAll(async () => { await stack?.stop(); });
//
// A start that fails half-way stops what it had started before it throws. As a last resort, every
// redis-server still running when the test process exits is SIGKILLed.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

import { Redis, type RedisConfigNodejs } from "@upstash/redis";

import { startUpstashBridge, type UpstashBridge, type UpstashBridgeOptions } from "../../tools/upstash-bridge/server.js";
import { freePort } from "./ports.js";

/** A redis-server child process on 127.0.0.1, without persistence. */
export interface RedisServer {
  readonly port: number;
  /** Graceful shutdown (SIGTERM); resolves once the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL, to simulate a crash; resolves once the process has exited. */
  kill(): Promise<void>;
  /** Stops the server if it runs, then starts a fresh (empty) one on the same port. */
  restart(): Promise<void>;
}

/** redis-server behind the Upstash REST bridge, with a real @upstash/redis client factory. */
export interface UpstashStack {
  readonly url: string;
  readonly token: string;
  readonly redis: RedisServer;
  readonly bridge: UpstashBridge;
  /** A real @upstash/redis client pointed at the bridge (telemetry off; other options as the client defaults). */
  client(opts?: Omit<RedisConfigNodejs, "url" | "token">): Redis;
  /** Closes the bridge and stops redis-server; safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

function findRedisServer(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "redis-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error("redis-server not found: run `npm run test:setup` (installs it with apt-get) or `apt-get install redis-server`");
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

async function spawnRedis(binary: string, port: number): Promise<ChildProcess> {
  installExitHook();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  args.push("--dir", tmpdir(), "--daemonize", "no", "--loglevel", "warning");
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", () => running.delete(child));
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
    running.delete(child);
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`redis-server could not start: ${spawnError.message}`, { cause: spawnError });
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${port} exited during start-up:\n${output}`);
    }
    if (await answersPing(port)) return child;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  await exited(child);
  throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output}`);
}

async function terminate(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited(child);
  clearTimeout(timer);
}

/**
 * Starts redis-server on a free port (`--save '' --appendonly no`) and resolves once it answers PING.
 * @throws Error saying how to install redis-server when the binary is missing.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  let port = 0;
  let child: ChildProcess | undefined;
  // freePort() can race with another process taking the port; a new port is then tried.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await spawnRedis(binary, port);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  return {
    port,
    stop: () => terminate(child, "SIGTERM"),
    kill: () => terminate(child, "SIGKILL"),
    restart: async () => {
      await terminate(child, "SIGTERM");
      child = await spawnRedis(binary, port);
    },
  };
}

/**
 * Starts redis-server on a free port and the Upstash REST bridge in front of it, with a random token.
 * `bridgeOptions` tunes the bridge (e.g. `maxRequestBytes: 1_048_576` to act like a small Upstash plan).
 */
export async function startUpstashStack(
  bridgeOptions: Omit<Partial<UpstashBridgeOptions>, "redisHost" | "redisPort" | "token"> = {},
): Promise<UpstashStack> {
  const redis = await startRedisServer();
  let bridge: UpstashBridge;
  try {
    bridge = await startUpstashBridge({ ...bridgeOptions, redisPort: redis.port, token: randomUUID() });
  } catch (err) {
    await redis.stop();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: bridge.url,
    token: bridge.token,
    redis,
    bridge,
    client: (opts = {}) => new Redis({ enableTelemetry: false, ...opts, url: bridge.url, token: bridge.token }),
    stop: () => {
      stopping ??= Promise.allSettled([bridge.close(), redis.stop()]).then((results) => {
        const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failure) throw failure.reason;
      });
      return stopping;
    },
  };
}
