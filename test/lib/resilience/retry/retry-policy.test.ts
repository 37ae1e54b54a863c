import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isTimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";
import { type RetryEvent, RetryPolicy } from "../../../../lib/resilience/retry/retry-policy.js";

const http = (statusCode: number, headers: Record<string, string> = {}): Error =>
  Object.assign(new Error(`HTTP ${statusCode}`), { name: "RestError", statusCode, response: { status: statusCode, headers } });

/** A call that fails with the given errors in turn, then succeeds with "ok". */
function script(...failures: Error[]): { fn: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    fn: async () => {
      const e = failures[n++];
      if (e) throw e;
      return "ok";
    },
    calls: () => n,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("RetryPolicy", () => {
  it("retries retryable failures with capped exponential backoff and reports each retry", async () => {
    const events: RetryEvent[] = [];
    const policy = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 300, jitter: 0.5, random: () => 0, onRetry: (e) => events.push(e) });
    const s = script(http(503), http(500), http(502));
    const p = policy.execute(s.fn);
    await vi.runAllTimersAsync();
    await expect(p).resolves.toBe("ok");
    expect(s.calls()).toBe(4);
    expect(events.map((e) => [e.attempt, e.delayMs, e.source])).toEqual([
      [1, 100, "backoff"],
      [2, 200, "backoff"],
      [3, 300, "backoff"],
    ]);
    expect((events[0]?.cause as { statusCode: number }).statusCode).toBe(503);
  });

  it("waits the whole delay before the next attempt, not less", async () => {
    const policy = new RetryPolicy({ baseDelayMs: 1_000, jitter: 0 });
    const s = script(http(503));
    const p = policy.execute(s.fn);
    await vi.advanceTimersByTimeAsync(999);
    expect(s.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.calls()).toBe(2);
    await expect(p).resolves.toBe("ok");
  });

  it("stops at maxAttempts and rethrows the last error itself", async () => {
    const last = http(503);
    const policy = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 10 });
    const s = script(http(500), http(502), last, http(504));
    const p = policy.execute(s.fn);
    const settled = expect(p).rejects.toBe(last);
    await vi.runAllTimersAsync();
    await settled;
    expect(s.calls()).toBe(3);
  });

  it("does not retry what is not retryable", async () => {
    const policy = new RetryPolicy();
    const s = script(http(404));
    await expect(policy.execute(s.fn)).rejects.toMatchObject({ statusCode: 404 });
    expect(s.calls()).toBe(1);
  });

  it("honours Retry-After before backoff, even past the backoff cap", async () => {
    const events: RetryEvent[] = [];
    const policy = new RetryPolicy({ baseDelayMs: 10, maxDelayMs: 50, onRetry: (e) => events.push(e) });
    const s = script(http(429, { "retry-after": "7" }));
    const p = policy.execute(s.fn);
    await vi.advanceTimersByTimeAsync(6_999);
    expect(s.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toBe("ok");
    expect(events).toMatchObject([{ attempt: 1, delayMs: 7_000, source: "retry-after" }]);
  });

  it("gives up at once when the server's wait does not fit in the remaining budget", async () => {
    const throttled = http(429, { "retry-after-ms": "30000" });
    const policy = new RetryPolicy({ maxTotalMs: 10_000 });
    const s = script(throttled);
    const started = Date.now();
    await expect(policy.execute(s.fn)).rejects.toBe(throttled);
    expect(s.calls()).toBe(1);
    expect(Date.now() - started).toBe(0);
  });

  it("aborts an attempt still running when the total budget ends, with a TimeoutError", async () => {
    const policy = new RetryPolicy({ maxTotalMs: 5_000 });
    let seen: AbortSignal | undefined;
    const p = policy.execute(({ signal }) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    });
    const settled = expect(p).rejects.toSatisfy(isTimeoutError);
    await vi.advanceTimersByTimeAsync(5_000);
    await settled;
    expect(seen?.aborted).toBe(true);
    expect(isTimeoutError(seen?.reason)).toBe(true);
  });

  it("a caller's abort during the backoff ends the call at once, with no further attempt", async () => {
    const policy = new RetryPolicy({ baseDelayMs: 10_000, jitter: 0 });
    const ctrl = new AbortController();
    const s = script(http(503));
    const p = policy.execute(s.fn, ctrl.signal);
    const settled = expect(p).rejects.toMatchObject({ name: "AbortError" });
    await vi.advanceTimersByTimeAsync(100);
    ctrl.abort();
    await settled;
    await vi.runAllTimersAsync();
    expect(s.calls()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects bad settings with a message naming them", () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(/`maxAttempts`.*from 1 and up/);
    expect(() => new RetryPolicy({ baseDelayMs: -1 })).toThrow(/`baseDelayMs`/);
  });
});
