import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { parseBreakerSnapshot } from "../../../../lib/resilience/breaker/breaker-snapshot.js";
import { CircuitBreaker, type CircuitStateName } from "../../../../lib/resilience/breaker/circuit-breaker.js";
import { BrokenCircuitError, isBrokenCircuitError } from "../../../../lib/resilience/errors/broken-circuit-error.js";

const http = (statusCode: number): Error => Object.assign(new Error(`HTTP ${statusCode}`), { statusCode });
const fail =
  (statusCode = 503) =>
  () =>
    Promise.reject(http(statusCode));
const ok = () => Promise.resolve("ok");

async function failTimes(b: CircuitBreaker, n: number, statusCode = 503): Promise<void> {
  for (let i = 0; i < n; i++) await expect(b.execute(fail(statusCode))).rejects.toMatchObject({ statusCode });
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse("2024-05-01T00:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("CircuitBreaker", () => {
  it("opens after N consecutive failures and then refuses fast, without calling", async () => {
    const b = new CircuitBreaker("microsoft.network", { consecutiveFailures: 3, halfOpenAfterMs: 10_000 });
    await failTimes(b, 3);
    expect(b.state).toBe("open");
    const fn = vi.fn(ok);
    vi.advanceTimersByTime(4_000);
    const e: unknown = await b.execute(fn).catch((x: unknown) => x);
    expect(fn).not.toHaveBeenCalled();
    expect(e).toBeInstanceOf(BrokenCircuitError);
    expect(isBrokenCircuitError(e)).toBe(true);
    expect(e).toMatchObject({ key: "microsoft.network", state: "open", retryAfterMs: 6_000, code: "TOPDECK_BROKEN_CIRCUIT" });
  });

  it("a success resets the consecutive count", async () => {
    const b = new CircuitBreaker("k", { consecutiveFailures: 3 });
    await failTimes(b, 2);
    await b.execute(ok);
    await failTimes(b, 2);
    expect(b.state).toBe("closed");
  });

  it("does not count 4xx or throttling as the dependency failing", async () => {
    const b = new CircuitBreaker("k", { consecutiveFailures: 2 });
    await failTimes(b, 5, 404);
    await failTimes(b, 5, 429);
    expect(b.state).toBe("closed");
  });

  it("half-open admits exactly one probe; everyone else is refused at once", async () => {
    const b = new CircuitBreaker("k", { consecutiveFailures: 1, halfOpenAfterMs: 1_000 });
    await failTimes(b, 1);
    vi.advanceTimersByTime(1_000);
    let release!: () => void;
    const probe = vi.fn(() => new Promise<string>((r) => (release = () => r("probed"))));
    const calls = [b.execute(probe), ...Array.from({ length: 4 }, () => b.execute(probe))];
    const results = Promise.allSettled(calls);
    await vi.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(b.state).toBe("half-open");
    release();
    const settled = await results;
    expect(settled[0]).toEqual({ status: "fulfilled", value: "probed" });
    for (const r of settled.slice(1)) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toMatchObject({ name: "BrokenCircuitError", state: "half-open" });
    }
    expect(b.state).toBe("closed");
    await expect(b.execute(ok)).resolves.toBe("ok");
  });

  it("a failed probe re-opens the circuit for another full wait", async () => {
    const b = new CircuitBreaker("k", { consecutiveFailures: 1, halfOpenAfterMs: 1_000 });
    await failTimes(b, 1);
    vi.advanceTimersByTime(1_000);
    await failTimes(b, 1);
    expect(b.state).toBe("open");
    await expect(b.execute(ok)).rejects.toMatchObject({ state: "open", retryAfterMs: 1_000 });
  });

  it("an aborted probe proves nothing: the circuit re-opens instead of closing", async () => {
    const b = new CircuitBreaker("k", { consecutiveFailures: 1, halfOpenAfterMs: 1_000 });
    await failTimes(b, 1);
    vi.advanceTimersByTime(1_000);
    await expect(b.execute(() => Promise.reject(new DOMException("gone", "AbortError")))).rejects.toMatchObject({ name: "AbortError" });
    expect(b.state).toBe("open");
  });

  it("opens on a failure ratio over the window even without consecutive failures", async () => {
    const b = new CircuitBreaker("k", { consecutiveFailures: 100, failureRatio: { threshold: 0.5, windowMs: 10_000, minimumCalls: 10 } });
    for (let i = 0; i < 12 && b.state === "closed"; i++) {
      // fail, fail, ok: two thirds fail, never more than two in a row
      if (i % 3 === 2) await b.execute(ok);
      else await b.execute(fail()).catch(() => undefined);
      vi.advanceTimersByTime(100);
    }
    expect(b.state).toBe("open");
  });

  it("a ratio below the threshold keeps it closed", async () => {
    const b = new CircuitBreaker("k", { consecutiveFailures: 100, failureRatio: { threshold: 0.5, windowMs: 10_000, minimumCalls: 10 } });
    for (let i = 0; i < 30; i++) {
      if (i % 3 === 0) await b.execute(fail()).catch(() => undefined);
      else await b.execute(ok);
      vi.advanceTimersByTime(100);
    }
    expect(b.state).toBe("closed");
  });

  it("reports transitions", async () => {
    const seen: [string, CircuitStateName][] = [];
    const b = new CircuitBreaker("k", { consecutiveFailures: 1, halfOpenAfterMs: 10, onStateChange: (k, s) => seen.push([k, s]) });
    await failTimes(b, 1);
    vi.advanceTimersByTime(10);
    await b.execute(ok);
    expect(seen).toEqual([
      ["k", "open"],
      ["k", "half-open"],
      ["k", "closed"],
    ]);
  });
});

describe("CircuitBreaker state across a cold start", () => {
  it("an open circuit restored from JSON stays open for the rest of its wait, then probes", async () => {
    const a = new CircuitBreaker("k", { consecutiveFailures: 2, halfOpenAfterMs: 5_000 });
    await failTimes(a, 2);
    vi.advanceTimersByTime(2_000);
    const stored = JSON.parse(JSON.stringify(a)) as unknown;
    const snapshot = parseBreakerSnapshot(stored);
    expect(snapshot).toMatchObject({ version: 1, state: "open" });

    const b = new CircuitBreaker("k", { consecutiveFailures: 2, halfOpenAfterMs: 5_000 }, snapshot);
    expect(b.state).toBe("open");
    await expect(b.execute(ok)).rejects.toMatchObject({ state: "open", retryAfterMs: 3_000 });
    vi.advanceTimersByTime(3_000);
    await expect(b.execute(ok)).resolves.toBe("ok");
    expect(b.state).toBe("closed");
  });

  it("consecutive failures carry over: one more after a restore opens it", async () => {
    const a = new CircuitBreaker("k", { consecutiveFailures: 3 });
    await failTimes(a, 2);
    const b = new CircuitBreaker("k", { consecutiveFailures: 3 }, parseBreakerSnapshot(a.toJSON()));
    await failTimes(b, 1);
    expect(b.state).toBe("open");
  });

  it("a half-open circuit is saved as open and due, so the restoring instance sends a fresh probe", async () => {
    const a = new CircuitBreaker("k", { consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    await failTimes(a, 1);
    vi.advanceTimersByTime(60_000);
    const pending = a.execute(() => new Promise<never>(() => undefined));
    expect(a.state).toBe("half-open");
    const b = new CircuitBreaker("k", { consecutiveFailures: 1, halfOpenAfterMs: 60_000 }, parseBreakerSnapshot(a.toJSON()));
    await expect(b.execute(ok)).resolves.toBe("ok");
    void pending;
  });

  it("a ratio window survives the round trip", async () => {
    const options = { consecutiveFailures: 100, failureRatio: { threshold: 0.5, windowMs: 10_000, minimumCalls: 10 } };
    const a = new CircuitBreaker("k", options);
    for (let i = 0; i < 9; i++) await a.execute(fail()).catch(() => undefined);
    expect(a.state).toBe("closed");
    const b = new CircuitBreaker("k", options, parseBreakerSnapshot(JSON.parse(JSON.stringify(a.toJSON()))));
    await b.execute(fail()).catch(() => undefined);
    expect(b.state).toBe("open");
  });

  it("rejects snapshots that are not ours", () => {
    expect(parseBreakerSnapshot(undefined)).toBeUndefined();
    expect(parseBreakerSnapshot({ version: 2, state: "open" })).toBeUndefined();
    expect(parseBreakerSnapshot({ version: 1, state: "half-open", openedAt: 0, openings: 1, consecutiveFailures: 0 })).toBeUndefined();
    expect(parseBreakerSnapshot({ version: 1, state: "open", openedAt: -1, openings: 1, consecutiveFailures: 0 })).toBeUndefined();
  });
});
