import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { isTimeoutError } from "../../../../lib/resilience/errors/timeout-error.js";
import { raceTimeout, withTimeout } from "../../../../lib/resilience/timeout/with-timeout.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe("withTimeout", () => {
  it("resolves with the work's value and leaves no timer", async () => {
    await expect(withTimeout(async () => 42, { timeoutMs: 1_000 })).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with a TimeoutError at the limit, even if the work ignores its signal, and aborts that signal", async () => {
    let signal: AbortSignal | undefined;
    const p = withTimeout(
      (s) => {
        signal = s;
        return never();
      },
      { timeoutMs: 500, what: "attempt" },
    );
    const settled = expect(p).rejects.toSatisfy((e) => isTimeoutError(e) && e.timeoutMs === 500 && e.message.includes("attempt"));
    await vi.advanceTimersByTimeAsync(499);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await settled;
    expect(isTimeoutError(signal?.reason)).toBe(true);
  });

  it("reports the timeout, not the AbortError the work throws when it notices", async () => {
    const p = withTimeout(
      (s) =>
        new Promise<never>((_, reject) =>
          s.addEventListener("abort", () => reject(new DOMException("The operation was aborted.", "AbortError"))),
        ),
      { timeoutMs: 10 },
    );
    const settled = expect(p).rejects.toSatisfy(isTimeoutError);
    await vi.advanceTimersByTimeAsync(10);
    await settled;
  });

  it("a caller's abort rejects at once with the caller's reason and aborts the work", async () => {
    const ctrl = new AbortController();
    let signal: AbortSignal | undefined;
    const p = withTimeout(
      (s) => {
        signal = s;
        return never();
      },
      { timeoutMs: Infinity, signal: ctrl.signal },
    );
    const settled = expect(p).rejects.toThrow("shutting down");
    ctrl.abort(new Error("shutting down"));
    await settled;
    expect(signal?.aborted).toBe(true);
  });

  it("a synchronous throw from the work is a rejection", async () => {
    await expect(
      withTimeout(
        () => {
          throw new Error("sync");
        },
        { timeoutMs: 100 },
      ),
    ).rejects.toThrow("sync");
  });
});

describe("raceTimeout", () => {
  it("unsubscribes even when cancelled during the subscription itself", async () => {
    let unsubscribed = 0;
    const p = raceTimeout(() => never(), {
      timeoutMs: Infinity,
      subscribe: (cancel) => {
        cancel(new Error("already stopped"));
        return () => unsubscribed++;
      },
    });
    await expect(p).rejects.toThrow("already stopped");
    expect(unsubscribed).toBe(1);
  });

  it("makes the work's signal only when the work reads it, already aborted if it was cancelled", async () => {
    let cancel!: (reason: Error) => void;
    let seen: AbortSignal | undefined;
    const p = raceTimeout(
      async (work) => {
        await Promise.resolve();
        await Promise.resolve();
        seen = work.signal;
        return 1;
      },
      { timeoutMs: Infinity, subscribe: (c) => ((cancel = c), () => undefined) },
    );
    cancel(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
    await vi.advanceTimersByTimeAsync(0);
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as Error).message).toBe("stop");
  });
});
