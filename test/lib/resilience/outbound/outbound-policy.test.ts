import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { BreakerRegistry } from "../../../../lib/resilience/breaker/breaker-registry.js";
import { isBrokenCircuitError } from "../../../../lib/resilience/errors/broken-circuit-error.js";
import { isTimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";
import { OutboundPolicy, type OutboundPolicyOptions } from "../../../../lib/resilience/outbound/outbound-policy.js";
import type { RateLimiter } from "../../../../lib/resilience/rate-limit/rate-limit-result.js";
import { CountingLimiter } from "./counting-limiter.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

type Outcome = "ok" | "503" | "500" | "404" | "429-soon" | "429-late" | "reset" | "hang";

function failureFor(outcome: Exclude<Outcome, "ok" | "hang">): Error {
  switch (outcome) {
    case "503":
    case "500":
    case "404":
      return Object.assign(new Error(outcome), { name: "RestError", statusCode: Number(outcome), response: { headers: {} } });
    case "429-soon":
      return Object.assign(new Error("throttled"), { statusCode: 429, response: { headers: { "retry-after": "2" } } });
    case "429-late":
      return Object.assign(new Error("throttled"), { statusCode: 429, response: { headers: { "retry-after": "3600" } } });
    case "reset":
      return Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  }
}

/** A fake ARM endpoint: each request takes the next outcome (then "ok"), and is counted. */
function fakeArm(outcomes: readonly Outcome[]) {
  let sent = 0;
  const requests: number[] = [];
  const fn = async ({ signal }: { signal: AbortSignal }): Promise<string> => {
    const outcome = outcomes[sent++] ?? "ok";
    requests.push(Date.now());
    if (outcome === "ok") return "body";
    if (outcome === "hang") {
      return new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    }
    throw failureFor(outcome);
  };
  return { fn, requests, sent: () => sent };
}

function policy(limiter: RateLimiter, extra: Partial<OutboundPolicyOptions> = {}): OutboundPolicy {
  return new OutboundPolicy({
    limiter,
    breakers: new BreakerRegistry({ consecutiveFailures: 100 }),
    retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000, jitter: 0, maxTotalMs: 60_000 },
    attemptTimeoutMs: 5_000,
    ...extra,
  });
}

async function run<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const settled = p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return settled;
}

describe("OutboundPolicy: the bound on requests per logical call", () => {
  it("states the bound as one number from the settings: retry.maxAttempts", () => {
    expect(policy(new CountingLimiter(), { retry: { maxAttempts: 3 } }).maxRequestsPerCall).toBe(3);
    expect(new OutboundPolicy({ limiter: new CountingLimiter() }).maxRequestsPerCall).toBe(4);
  });

  it("property: whatever ARM answers, a call sends at most maxRequestsPerCall requests, and takes one token per request sent", async () => {
    const outcome = fc.constantFrom<Outcome>("ok", "503", "500", "404", "429-soon", "429-late", "reset", "hang");
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.array(outcome, { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        async (maxAttempts, consecutiveFailures, calls) => {
          const limiter = new CountingLimiter(10, 5);
          const p = policy(limiter, {
            retry: { maxAttempts, baseDelayMs: 500, jitter: 0.5 },
            breakers: new BreakerRegistry({ consecutiveFailures }),
          });
          let sentTotal = 0;
          for (const outcomes of calls) {
            const arm = fakeArm(outcomes);
            await run(p.execute(arm.fn, { key: "microsoft.web" }));
            if (arm.sent() > p.maxRequestsPerCall) return false;
            sentTotal += arm.sent();
          }
          return limiter.grants.length === sentTotal;
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a retry takes its token after the backoff, right before its request, never while waiting", async () => {
    const limiter = new CountingLimiter();
    const arm = fakeArm(["503", "503"]);
    const r = await run(policy(limiter).execute(arm.fn));
    expect(r.value).toBe("body");
    expect(arm.requests).toEqual([0, 1_000, 3_000]);
    expect(limiter.grants).toEqual(arm.requests);
  });

  it("an attempt the breaker refuses is not sent and takes no token", async () => {
    const limiter = new CountingLimiter();
    const arm = fakeArm(["503", "503", "503", "503"]);
    const p = policy(limiter, {
      breakers: new BreakerRegistry({ consecutiveFailures: 2 }),
      retry: { maxAttempts: 2, baseDelayMs: 1_000, jitter: 0, maxTotalMs: 10_000 },
    });
    const r = await run(p.execute(arm.fn, { key: "microsoft.network" }));
    expect(r.error).toMatchObject({ statusCode: 503 });
    expect(arm.sent()).toBe(2);
    expect(limiter.grants).toHaveLength(2);
    // Open for 30 s, past this call's 10 s budget: refused for good, nothing sent, no token.
    const again = fakeArm([]);
    expect(isBrokenCircuitError((await run(p.execute(again.fn, { key: "microsoft.network" }))).error)).toBe(true);
    expect(again.sent()).toBe(0);
    expect(limiter.grants).toHaveLength(2);
    expect((await run(p.execute(fakeArm([]).fn, { key: "microsoft.web" }))).value).toBe("body");
  });

  it("issue 13 case 9: a refused call within its budget waits for the breaker's probe time and tries again", async () => {
    const limiter = new CountingLimiter();
    const arm = fakeArm(["503"]);
    const p = policy(limiter, {
      breakers: new BreakerRegistry({ consecutiveFailures: 1, halfOpenAfterMs: 10_000 }),
      retry: { maxAttempts: 3, baseDelayMs: 1_000, jitter: 0, maxTotalMs: 60_000 },
    });
    const r = await run(p.execute(arm.fn, { key: "microsoft.network" }));
    expect(r.value).toBe("body");
    // Failed at 0 (the breaker opens), refused at 1 s, probed at 10 s when the breaker admits one.
    expect(arm.requests).toEqual([0, 10_000]);
    expect(limiter.grants).toEqual(arm.requests);
  });

  it("issue 13 case 9: a call that timed out waiting for a token sent nothing and does not count toward the breaker", async () => {
    const limiter = new CountingLimiter(1, 0.001);
    await limiter.inner.acquire();
    const breakers = new BreakerRegistry({ consecutiveFailures: 1 });
    const arm = fakeArm([]);
    const r = await run(
      policy(limiter, { breakers, retry: { maxAttempts: 3, maxTotalMs: 5_000 } }).execute(arm.fn, { key: "microsoft.network" }),
    );
    expect(isTimeoutError(r.error)).toBe(true);
    expect(arm.sent()).toBe(0);
    expect(breakers.get("microsoft.network").state).toBe("closed");
    expect(breakers.get("microsoft.network").toJSON().consecutiveFailures).toBe(0);
  });

  it("a retry the budget cannot afford (Retry-After past it) is not sent and takes no token", async () => {
    const limiter = new CountingLimiter();
    const arm = fakeArm(["429-late"]);
    const r = await run(policy(limiter).execute(arm.fn));
    expect(r.error).toMatchObject({ statusCode: 429 });
    expect(arm.sent()).toBe(1);
    expect(limiter.grants).toHaveLength(1);
  });

  it("a caller's abort during the backoff sends nothing more and takes no token", async () => {
    const limiter = new CountingLimiter();
    const arm = fakeArm(["503", "503"]);
    const ctrl = new AbortController();
    const p = policy(limiter).execute(arm.fn, { signal: ctrl.signal });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    ctrl.abort(new Error("stop"));
    await vi.runAllTimersAsync();
    expect(await settled).toMatchObject({ message: "stop" });
    expect(arm.sent()).toBe(1);
    expect(limiter.grants).toHaveLength(1);
  });
});

describe("OutboundPolicy: behaviour of each layer in the composition", () => {
  it("a hung request is aborted at the attempt timeout and retried", async () => {
    const seen: AbortSignal[] = [];
    const arm = fakeArm(["hang"]);
    const r = await run(
      policy(new CountingLimiter()).execute(async (a) => {
        seen.push(a.signal);
        return arm.fn(a);
      }),
    );
    expect(r.value).toBe("body");
    expect(arm.requests).toEqual([0, 6_000]);
    expect(isTimeoutError(seen[0]?.reason)).toBe(true);
  });

  it("the attempt timeout counts from the request, not from the wait for a token", async () => {
    const limiter = new CountingLimiter(1, 0.1);
    await limiter.inner.acquire();
    const arm = fakeArm([]);
    const r = await run(policy(limiter, { attemptTimeoutMs: 1_000, retry: { maxAttempts: 1 } }).execute(arm.fn));
    expect(r.value).toBe("body");
    expect(arm.requests).toEqual([10_000]);
  });

  it("a 429 with Retry-After holds every caller of the limiter, not only the throttled one", async () => {
    const limiter = new CountingLimiter(100, 10);
    const p = policy(limiter);
    const throttled = fakeArm(["429-soon"]);
    const other = fakeArm([]);
    const first = p.execute(throttled.fn, { key: "microsoft.web" });
    await vi.advanceTimersByTimeAsync(0);
    const second = p.execute(other.fn, { key: "microsoft.sql" });
    await vi.runAllTimersAsync();
    await Promise.all([first, second]);
    expect(throttled.requests[1]).toBeGreaterThanOrEqual(2_000);
    expect(other.requests[0]).toBeGreaterThanOrEqual(2_000);
  });

  it("ARM's remaining-reads header adapts the limiter down, from successes and from failures", async () => {
    const limiter = new CountingLimiter(250, 25);
    const p = policy(limiter);
    await run(
      p.execute(async (a) => {
        await a.observeHeaders({ "x-ms-ratelimit-remaining-subscription-reads": "0" });
        return "ok";
      }),
    );
    const next = fakeArm([]);
    await run(p.execute(next.fn));
    expect(next.requests).toEqual([40]);

    vi.setSystemTime(100_000);
    const once = policy(limiter, { retry: { maxAttempts: 1 } });
    const failing = Object.assign(new Error("500"), {
      statusCode: 500,
      response: { headers: { "x-ms-ratelimit-remaining-subscription-reads": "0" } },
    });
    expect((await run(once.execute(() => Promise.reject(failing)))).error).toBe(failing);
    const after = fakeArm([]);
    await run(once.execute(after.fn));
    expect(after.requests).toEqual([100_040]);
  });
});
