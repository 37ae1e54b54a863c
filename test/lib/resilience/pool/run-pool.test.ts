import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isTimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";
import { runPool } from "../../../../lib/resilience/pool/run-pool.js";
import type { PoolProgress } from "../../../../lib/resilience/pool/task-record.js";
import { RetryPolicy } from "../../../../lib/resilience/retry/retry-policy.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Resolves after `ms` of fake time, or rejects when the signal aborts. */
const work = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    });
  });

async function settle<T>(p: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return p;
}

describe("runPool", () => {
  it("returns one settled record per input, in input order, failures included", async () => {
    const boom = new Error("b failed");
    const records = await settle(
      runPool(
        ["a", "b", "c"],
        async (item, { signal }) => {
          await work(item === "a" ? 30 : 10, signal);
          if (item === "b") throw boom;
          return item.toUpperCase();
        },
        { concurrency: 2 },
      ),
    );
    expect(records).toEqual([
      { item: "a", index: 0, ok: true, value: "A", attempts: 1, durationMs: 30 },
      { item: "b", index: 1, ok: false, error: boom, attempts: 1, durationMs: 10 },
      { item: "c", index: 2, ok: true, value: "C", attempts: 1, durationMs: 10 },
    ]);
  });

  it("property: never more than `concurrency` tasks at once; one record per input, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.record({ ms: fc.nat(50), fails: fc.boolean(), sync: fc.boolean() }), { maxLength: 40 }),
        async (concurrency, specs) => {
          let active = 0;
          let peak = 0;
          const p = runPool(
            specs,
            async (spec, { signal }) => {
              active++;
              peak = Math.max(peak, active);
              try {
                if (spec.sync && spec.fails) throw new Error("sync");
                await work(spec.ms, signal);
                if (spec.fails) throw new Error("async");
                return spec.ms;
              } finally {
                active--;
              }
            },
            { concurrency },
          );
          await vi.runAllTimersAsync();
          const records = await p;
          return (
            peak <= concurrency &&
            records.length === specs.length &&
            records.every((r, i) => r.index === i && r.item === specs[i] && r.ok === !specs[i].fails)
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("times a task from when it starts, not while it waits for a slot, and aborts its signal", async () => {
    const signals: AbortSignal[] = [];
    const p = runPool(
      [80, 80, 150],
      async (ms, { signal }) => {
        signals.push(signal);
        await work(ms, signal);
        return ms;
      },
      { concurrency: 1, taskTimeoutMs: 100 },
    );
    const records = await settle(p);
    expect(records.map((r) => r.ok)).toEqual([true, true, false]);
    expect(records[2]).toMatchObject({ ok: false, durationMs: 100, attempts: 1 });
    expect(isTimeoutError(records[2]?.ok === false ? records[2].error : undefined)).toBe(true);
    expect(signals.map((s) => s.aborted)).toEqual([false, false, true]);
  });

  it("fail-fast aborts running tasks and starts no more, yet records every input", async () => {
    const started: number[] = [];
    const signals = new Map<number, AbortSignal>();
    const p = runPool(
      [0, 1, 2, 3, 4],
      async (i, { signal }) => {
        started.push(i);
        signals.set(i, signal);
        await work(i === 1 ? 10 : 100, signal);
        if (i === 1) throw new Error("one failed");
        return i;
      },
      { concurrency: 2, failFast: true },
    );
    const records = await settle(p);
    expect(started).toEqual([0, 1]);
    expect(signals.get(0)?.aborted).toBe(true);
    expect(records).toHaveLength(5);
    expect(records[1]).toMatchObject({ ok: false, attempts: 1, error: { message: "one failed" } });
    expect(records[0]).toMatchObject({ ok: false, attempts: 1, error: { name: "AbortError" } });
    for (const r of records.slice(2)) expect(r).toMatchObject({ ok: false, attempts: 0, durationMs: 0, error: { name: "AbortError" } });
  });

  it("continue-on-error (the default) runs everything despite failures", async () => {
    const records = await settle(
      runPool(
        [1, 2, 3, 4],
        async (i) => {
          if (i % 2) throw new Error(String(i));
          return i;
        },
        { concurrency: 1 },
      ),
    );
    expect(records.map((r) => r.ok)).toEqual([false, true, false, true]);
  });

  it("the run's signal cancels it: running tasks abort, the rest are recorded as not started", async () => {
    const ctrl = new AbortController();
    const p = runPool([1, 2, 3], async (i, { signal }) => work(100, signal).then(() => i), { concurrency: 1, signal: ctrl.signal });
    await vi.advanceTimersByTimeAsync(50);
    ctrl.abort(new Error("shutdown"));
    const records = await settle(p);
    expect(records.map((r) => (r.ok ? "ok" : `${r.attempts}:${(r.error as Error).message}`))).toEqual([
      "1:shutdown",
      "0:shutdown",
      "0:shutdown",
    ]);
  });

  it("reports progress after each task", async () => {
    const seen: PoolProgress<number, number>[] = [];
    await settle(
      runPool(
        [1, 2, 3],
        async (i) => {
          if (i === 2) throw new Error("x");
          return i;
        },
        { concurrency: 1, onProgress: (p) => seen.push(p) },
      ),
    );
    expect(seen.map((p) => [p.done, p.total, p.failed, p.record.index])).toEqual([
      [1, 3, 0, 0],
      [2, 3, 1, 1],
      [3, 3, 1, 2],
    ]);
  });

  it("with a retry policy, records how many attempts each item took", async () => {
    const tries = new Map<string, number>();
    const retry = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 10 });
    const records = await settle(
      runPool(
        ["flaky", "solid", "dead"],
        async (item, { attempt }) => {
          tries.set(item, attempt);
          if (item === "dead" || (item === "flaky" && attempt < 2)) throw Object.assign(new Error("503"), { statusCode: 503 });
          return item;
        },
        { retry },
      ),
    );
    expect(records.map((r) => [r.item, r.ok, r.attempts])).toEqual([
      ["flaky", true, 2],
      ["solid", true, 1],
      ["dead", false, 3],
    ]);
  });

  it("rejects a bad concurrency with p-limit's message", async () => {
    await expect(runPool([1], async (i) => i, { concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});
