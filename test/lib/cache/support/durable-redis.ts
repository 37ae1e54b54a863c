// A redis-server that persists every write (AOF, fsync always), so a SIGKILL loses nothing it
// acknowledged, as a managed Redis (Upstash) behaves. The shared test stack runs without
// persistence, which cannot show that a committed snapshot survives a crash.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort } from "../../../support/ports.js";

/** A persistent redis-server on a fixed port and data directory. */
export interface DurableRedis {
  readonly port: number;
  /** SIGKILL: a crash. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (it reloads its append-only file). */
  start(): Promise<void>;
  /** Stops it and deletes its data directory. */
  stop(): Promise<void>;
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d: Buffer) => done(d.toString().startsWith("+PONG")));
  });
}

function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Starts a persistent redis-server on a free port; resolves once it answers PING. */
export async function startDurableRedis(): Promise<DurableRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "topdeck-aof-"));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always"];
    child = spawn("redis-server", [...args, "--dir", dir, "--daemonize", "no", "--loglevel", "warning"], { stdio: "ignore" });
    const own = child;
    process.once("exit", () => own.kill("SIGKILL"));
    for (let i = 0; i < 400; i++) {
      if (await pong(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`persistent redis-server on ${port} did not start`);
  };
  await start();
  return {
    port,
    start,
    kill: async () => {
      child?.kill("SIGKILL");
      await exited(child);
    },
    stop: async () => {
      child?.kill("SIGTERM");
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
