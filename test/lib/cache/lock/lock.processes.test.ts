// Two real processes racing for one lock through the bridge: holds never overlap, and fencing
// tokens increase in the order the lock was held.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startUpstashStack, type UpstashStack } from "../../../support/redis.js";

interface Report {
  pid: number;
  holds: { token: number; from: number; to: number }[];
  refused: number;
}

let stack: UpstashStack;
beforeAll(async () => {
  stack = await startUpstashStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Starts a racer process; `ready` resolves once it is warmed up, `report` once it is done. */
function racer(durationMs: number): { ready: Promise<void>; go(): void; report: Promise<Report> } {
  const script = fileURLToPath(new URL("../support/lock-racer.ts", import.meta.url));
  const args = ["--import", "tsx", script, stack.url, stack.token, "procs", String(durationMs)];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.startsWith("ready\n")) markReady();
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const report = new Promise<Report>((resolve, reject) => {
    child.once("exit", (code) => {
      if (code === 0) resolve(JSON.parse(out.slice("ready\n".length)) as Report);
      else reject(new Error(`lock racer exited with ${code}: ${err}`));
    });
  });
  return { ready: Promise.race([ready, report.then(() => undefined)]), go: () => child.stdin.end("go\n"), report };
}

describe("distributed lock across processes (Upstash over the bridge)", () => {
  it("two processes racing: never two holders at once, fencing tokens increase with each acquisition", { timeout: 60_000 }, async () => {
    const racers = [racer(500), racer(500)];
    await Promise.all(racers.map((r) => r.ready));
    for (const r of racers) r.go();
    const reports = await Promise.all(racers.map((r) => r.report));
    const holds = reports.flatMap((r) => r.holds).sort((a, b) => a.token - b.token);
    expect(holds.length).toBeGreaterThan(10);
    expect(new Set(holds.map((h) => h.token)).size).toBe(holds.length);
    for (let i = 1; i < holds.length; i++) expect(holds[i]!.from, `hold ${i}`).toBeGreaterThanOrEqual(holds[i - 1]!.to);
    // Both contended, and both won at some point.
    for (const r of reports) {
      expect(r.refused).toBeGreaterThan(0);
      expect(r.holds.length).toBeGreaterThan(0);
    }
  });
});
