/**
 * `npm run bench -- resilience [--tasks N] [--rounds N] [--seconds S]`
 *
 * 1. Worker pool overhead: runPool against bare p-limit (`Promise.all(items.map(i => limit(...)))`)
 *    on tasks that do nothing, so the difference is the pool's own cost per task.
 * 2. Rate limiter accuracy: callers that acquire as fast as they can from a LocalRateLimiter that
 *    starts empty, for several seconds of real time; achieved rate / configured rate.
 */
import { setMaxListeners } from "node:events";

import pLimit from "p-limit";

import { runPool } from "../lib/resilience/pool/run-pool.js";
import { LocalRateLimiter } from "../lib/resilience/rate-limit/local-rate-limiter.js";
import { numberFlag } from "./_flags.js";
import { printResult } from "./_result.js";

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function poolOverhead(tasks: number, rounds: number, concurrency: number) {
  const items = Array.from({ length: tasks }, (_, i) => i);
  const task = async (i: number): Promise<number> => i;
  const bare = async (): Promise<unknown> => {
    const limit = pLimit(concurrency);
    return Promise.all(items.map((i) => limit(task, i)));
  };
  const pool = async (): Promise<unknown> => runPool(items, task, { concurrency });
  // With a per-task timeout, as discovery runs it: one timer (and its AbortController) per task.
  const timed = async (): Promise<unknown> => runPool(items, task, { concurrency, taskTimeoutMs: 30_000 });
  await bare();
  await pool();
  await timed();
  const bareMs: number[] = [];
  const poolMs: number[] = [];
  const timedMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bareMs.push(await timeIt(bare));
    poolMs.push(await timeIt(pool));
    timedMs.push(await timeIt(timed));
  }
  const perTask = (ms: number[]): number => (median(ms) * 1000) / tasks;
  const bareUs = perTask(bareMs);
  return {
    bareUs,
    poolUs: perTask(poolMs),
    timedUs: perTask(timedMs),
    overheadUs: perTask(poolMs) - bareUs,
    timedOverheadUs: perTask(timedMs) - bareUs,
  };
}

async function achievedRate(refillPerSecond: number, seconds: number, callers: number) {
  const limiter = new LocalRateLimiter({ burst: Math.max(1, refillPerSecond / 10), refillPerSecond, initialTokens: 0 });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let grants = 0;
  let last = started;
  const ctrl = new AbortController();
  // Every caller waits on this one signal.
  setMaxListeners(callers + 1, ctrl.signal);
  const stopper = setTimeout(() => ctrl.abort(), seconds * 1000);
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        const r = await limiter.acquire({ signal: ctrl.signal }).catch(() => undefined);
        if (!r?.success) return;
        grants++;
        last = performance.now();
      }
    }),
  );
  clearTimeout(stopper);
  const elapsedS = (last - started) / 1000;
  const achieved = grants / elapsedS;
  return { grants, elapsedS, achieved, accuracy: achieved / refillPerSecond };
}

/** Entry point called by bench/run.ts. */
export default async function (args: string[]): Promise<void> {
  const tasks = numberFlag(args, "tasks", 20_000);
  const rounds = numberFlag(args, "rounds", 7);
  const seconds = numberFlag(args, "seconds", 5);
  const concurrency = 8;

  const o = await poolOverhead(tasks, rounds, concurrency);
  process.stdout.write(
    `worker pool, ${tasks} no-op tasks, concurrency ${concurrency}, median of ${rounds}: ` +
      `bare p-limit ${o.bareUs.toFixed(2)} us/task, runPool ${o.poolUs.toFixed(2)} us/task (overhead ${o.overheadUs.toFixed(2)}), ` +
      `runPool with taskTimeoutMs ${o.timedUs.toFixed(2)} us/task (overhead ${o.timedOverheadUs.toFixed(2)})\n`,
  );

  // ARM's read refill (25/s) and a fast one (500/s), run side by side for the same seconds.
  const [arm, fast] = await Promise.all([achievedRate(25, seconds, 16), achievedRate(500, seconds, 16)]);
  for (const [label, r, rate] of [
    ["ARM reads", arm, 25],
    ["fast", fast, 500],
  ] as const) {
    process.stdout.write(
      `rate limiter (${label}), configured ${rate}/s from empty: ${r.grants} grants in ${r.elapsedS.toFixed(2)} s = ` +
        `${r.achieved.toFixed(2)}/s, accuracy ${r.accuracy.toFixed(4)}\n`,
    );
  }

  printResult("resilience", {
    overheadUsPerTask: o.overheadUs,
    overheadUsPerTaskWithTimeout: o.timedOverheadUs,
    bareUsPerTask: o.bareUs,
    rateAccuracy: arm.accuracy,
    rateAccuracyFast: fast.accuracy,
    seconds,
  });
}
