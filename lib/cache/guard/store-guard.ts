import type { Logger } from "../../log/index.js";
import { CircuitBreaker, isBrokenCircuitError, isTimeoutError, withTimeout } from "../../resilience/index.js";
import type { StoreDriver } from "../driver/store-driver.js";
import { StoreUnavailableError } from "../errors/store-unavailable-error.js";
import type { StoreCounters, StoreState } from "./store-state.js";

/** Options of {@link StoreGuard}. */
export interface StoreGuardOptions {
  driver: StoreDriver;
  /** Longest wait for one operation unless the call gives its own. @default 250 */
  timeoutMs?: number;
  /**
   * The breaker for this Redis (e.g. from a `BreakerRegistry` shared with the rate limiter).
   * @default a breaker opening after 3 consecutive failures, probing again after 5 s
   */
  breaker?: CircuitBreaker;
  /** Told of breaker transitions and failures. */
  log?: Logger;
}

/**
 * Runs every driver operation through a timeout inside a circuit breaker, so a slow or dead Redis
 * costs at most the timeout per operation until the breaker opens, and nothing after that until a
 * probe succeeds. Keeps the counters and state the health endpoint reports.
 */
export class StoreGuard {
  /** Counters, updated as operations run; cache helpers add dropped writes and fallthroughs. */
  readonly counters: StoreCounters = { operations: 0, failures: 0, timeouts: 0, refused: 0, droppedWrites: 0, fallthroughReads: 0 };
  readonly driver: StoreDriver;
  readonly timeoutMs: number;
  private readonly breaker: CircuitBreaker;
  private readonly log: Logger | undefined;
  private lastFailed = false;
  private lastError: string | undefined;
  private lastBreakerState: string;

  constructor(options: StoreGuardOptions) {
    this.driver = options.driver;
    this.timeoutMs = options.timeoutMs ?? 250;
    this.breaker =
      options.breaker ??
      new CircuitBreaker(`redis:${options.driver.name}`, { consecutiveFailures: 3, halfOpenAfterMs: 5_000, isFailure: () => true });
    this.log = options.log;
    this.lastBreakerState = this.breaker.state;
  }

  /**
   * Runs `fn` against the driver with a time limit, through the breaker.
   * @throws StoreUnavailableError when refused, timed out, or failed; the original error is its cause.
   */
  async call<T>(operation: string, fn: (driver: StoreDriver) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    this.counters.operations++;
    try {
      const result = await this.breaker.execute(() => withTimeout(() => fn(this.driver), { timeoutMs, what: `store ${operation}` }));
      this.lastFailed = false;
      return result;
    } catch (e) {
      if (isBrokenCircuitError(e)) {
        this.counters.refused++;
        throw new StoreUnavailableError(operation, "breaker-open", { cause: e });
      }
      this.counters.failures++;
      this.lastFailed = true;
      this.lastError = briefly(e);
      const timedOut = isTimeoutError(e);
      if (timedOut) this.counters.timeouts++;
      this.log?.debug("store operation failed", { operation, driver: this.driver.name, error: this.lastError });
      throw new StoreUnavailableError(operation, timedOut ? "timeout" : "failed", { cause: e });
    } finally {
      this.noticeTransition();
    }
  }

  /** Where the store stands, for the health endpoint. */
  state(): StoreState {
    const breaker = this.breaker.state;
    const state = breaker === "open" ? "down" : breaker === "half-open" || this.lastFailed ? "degraded" : "up";
    return {
      driver: this.driver.name,
      state,
      breaker,
      counters: { ...this.counters },
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private noticeTransition(): void {
    const now = this.breaker.state;
    if (now === this.lastBreakerState) return;
    this.lastBreakerState = now;
    const fields = { driver: this.driver.name, breaker: now, lastError: this.lastError };
    if (now === "open") this.log?.warn("store: Redis unavailable, breaker open; caches fall through to their sources", fields);
    else if (now === "closed") this.log?.info("store: Redis reachable again, breaker closed", fields);
  }
}

/** An error's message cut short: @upstash/redis quotes the whole command, chunk values included. */
function briefly(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}
