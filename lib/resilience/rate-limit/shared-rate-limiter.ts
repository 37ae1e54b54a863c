import type { CircuitBreaker } from "../breaker/circuit-breaker.js";
import { type Now, type Sleep, systemSleep, throwIfAborted } from "../common/clock.js";
import { isBrokenCircuitError } from "../errors/broken-circuit-error.js";
import { isTimeoutError } from "../errors/timeout-error.js";
import { withTimeout } from "../timeout/with-timeout.js";
import type { AcquireOptions, RateLimiter, RateLimitReason, RateLimitResult } from "./rate-limit-result.js";
import { TOKEN_BUCKET_SCRIPT } from "./token-bucket-script.js";

/**
 * The one Redis command the shared limiter uses. @upstash/redis's `Redis` satisfies it
 * (`eval(script, keys, args)`), and so does a small fake.
 */
export interface RedisScriptRunner {
  eval(script: string, keys: string[], args: unknown[]): Promise<unknown>;
}

/** Options of {@link SharedRateLimiter}. */
export interface SharedRateLimiterOptions {
  /** The Redis client (narrow: only `eval`). */
  redis: RedisScriptRunner;
  /** The bucket's key; every instance that shares the limit uses the same one. */
  key: string;
  /** Most tokens held: the largest burst across all instances together. */
  burst: number;
  /** Tokens added per second, across all instances together. */
  refillPerSecond: number;
  /** Longest wait for one Redis answer before failing open. @default 1_000 */
  timeoutMs?: number;
  /** Breaker for the Redis endpoint: while open, calls fail open at once instead of waiting for timeouts. */
  breaker?: CircuitBreaker;
  /** Told of every fail-open answer, for logs and metrics. */
  onFailOpen?: (result: RateLimitResult) => void;
  /** The time sent to the script; instances' clocks should agree to within a refill interval. @default Date.now */
  now?: Now;
  /** @default systemSleep */
  sleep?: Sleep;
}

interface Answer {
  result: RateLimitResult;
  waitMs: number;
}

function parseReply(reply: unknown): [number, number, number, number] {
  const nums = Array.isArray(reply) ? reply.map(Number) : [];
  if (nums.length !== 4 || nums.some((n) => !Number.isFinite(n))) {
    throw new TypeError(`unexpected reply from the token-bucket script: ${JSON.stringify(reply)}`);
  }
  return nums as [number, number, number, number];
}

/**
 * A token bucket in Redis, shared by every instance that uses the same key; one atomic script per
 * decision. It fails open: when Redis errs, times out, or its breaker is open, the call is let
 * through and `reason` says why.
 *
 * Warning: failing open means no limit at all while Redis is down; keep a local limiter in front
 * when the shared limit protects something that must not be overrun.
 */
export class SharedRateLimiter implements RateLimiter {
  private readonly options: Required<Pick<SharedRateLimiterOptions, "timeoutMs" | "now" | "sleep">> & SharedRateLimiterOptions;

  constructor(options: SharedRateLimiterOptions) {
    if (!(options.burst > 0)) throw new RangeError(`Expected \`burst\` to be a number above 0, got ${options.burst}`);
    if (!(options.refillPerSecond > 0)) {
      throw new RangeError(`Expected \`refillPerSecond\` to be a number above 0, got ${options.refillPerSecond}`);
    }
    this.options = { timeoutMs: 1_000, now: Date.now, sleep: systemSleep, ...options };
  }

  /** Takes `cost` tokens now, or answers `empty`; one Redis round trip, no waiting. */
  async check(cost = 1): Promise<RateLimitResult> {
    return (await this.ask(cost)).result;
  }

  /**
   * Waits for `cost` tokens: asks, sleeps as long as the script says, asks again. Not FIFO across
   * instances (Redis keeps no queue); rejects with the signal's reason if aborted.
   */
  async acquire(options: AcquireOptions = {}): Promise<RateLimitResult> {
    const { cost = 1, signal, maxWaitMs = Infinity } = options;
    const started = this.options.now();
    for (;;) {
      throwIfAborted(signal);
      const { result, waitMs } = await this.ask(cost);
      if (result.success || result.reason === "exceeds-burst") return result;
      if (this.options.now() - started + waitMs > maxWaitMs) return { ...result, reason: "max-wait" };
      await this.options.sleep(Math.max(1, waitMs), signal);
    }
  }

  /** Lowers the shared level to the server's remaining budget. */
  async observeRemaining(remaining: number): Promise<void> {
    if (remaining >= 0) await this.ask(0, remaining);
  }

  /** Nothing is granted to any instance for `ms`; the bucket refills from empty afterwards. */
  async pause(ms: number): Promise<void> {
    if (ms > 0) await this.ask(0, (-ms * this.options.refillPerSecond) / 1000);
  }

  private async ask(cost: number, ceiling?: number): Promise<Answer> {
    const now = this.options.now();
    if (cost > this.options.burst) {
      return { result: { success: false, remaining: -1, reset: now, reason: "exceeds-burst" }, waitMs: 0 };
    }
    const args = [this.options.burst, this.options.refillPerSecond, cost, now, ceiling === undefined ? "" : ceiling].map(String);
    const call = (): Promise<unknown> =>
      withTimeout(() => this.options.redis.eval(TOKEN_BUCKET_SCRIPT, [this.options.key], args), {
        timeoutMs: this.options.timeoutMs,
        what: "rate-limit script",
        sleep: this.options.sleep,
      });
    try {
      const reply = await (this.options.breaker ? this.options.breaker.execute(call) : call());
      const [granted, remaining, waitMs, fullMs] = parseReply(reply);
      return {
        result: { success: granted === 1, remaining, reset: now + fullMs, reason: granted === 1 ? "granted" : "empty" },
        waitMs,
      };
    } catch (e) {
      const reason: RateLimitReason = isBrokenCircuitError(e) ? "redis-circuit-open" : isTimeoutError(e) ? "redis-timeout" : "redis-error";
      const result: RateLimitResult = {
        success: true,
        remaining: -1,
        reset: now,
        reason,
        detail: e instanceof Error ? e.message : String(e),
      };
      this.options.onFailOpen?.(result);
      return { result, waitMs: 0 };
    }
  }
}
