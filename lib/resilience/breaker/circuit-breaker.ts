import {
  circuitBreaker,
  type CircuitBreakerPolicy,
  CircuitState,
  handleWhen,
  isBrokenCircuitError as isCockatielBrokenCircuit,
} from "cockatiel";

import { isAbortError } from "../common/clock.js";
import { statusOf } from "../common/headers.js";
import { BrokenCircuitError } from "../errors/broken-circuit-error.js";
import { isRateLimitedError } from "../errors/rate-limited-error.js";
import { isTokenWaitError } from "../errors/token-wait-error.js";
import { isRetryable } from "../retry/classify.js";
import type { BreakerSnapshot } from "./breaker-snapshot.js";
import { type BreakerCounters, ConsecutiveOrRatioBreaker, type FailureRatioOptions } from "./consecutive-or-ratio-breaker.js";

/** Where a breaker stands. */
export type CircuitStateName = "closed" | "open" | "half-open";

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  consecutiveFailures?: number;
  /** Also open on a failure ratio over a sliding window. @default undefined (off) */
  failureRatio?: FailureRatioOptions;
  /** How long an open circuit refuses calls before it admits one probe. @default 30_000 */
  halfOpenAfterMs?: number;
  /**
   * Which errors count as the dependency failing. 429 is left out: throttling is the rate
   * limiter's business, and a breaker opened by it would hide the server's retry-after.
   * @default isRetryable(e) && status !== 429
   */
  isFailure?: (e: unknown) => boolean;
  /** Told of every transition, for logs and metrics. */
  onStateChange?: (key: string, state: CircuitStateName) => void;
}

/** The default failure test: retryable faults except throttling. */
export function isBreakerFailure(e: unknown): boolean {
  return isRetryable(e) && statusOf(e) !== 429;
}

interface CockatielJson {
  ownState: { value: CircuitState; openedAt?: number; attemptNo?: number };
  breakerState: BreakerCounters;
}

const names: Record<number, CircuitStateName> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
};

/**
 * Closed / open / half-open circuit breaker for one dependency, on cockatiel's state machine.
 * What it adds: while the one probe is out, every other call is refused at once with a typed
 * {@link BrokenCircuitError} (cockatiel would park them behind the probe); state as a validated,
 * versioned {@link BreakerSnapshot}.
 *
 * It reads time from `Date.now` (cockatiel does); tests drive it with fake timers.
 */
export class CircuitBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private readonly halfOpenAfterMs: number;

  constructor(
    /** Names the dependency in errors and events. */
    readonly key: string,
    options: CircuitBreakerOptions = {},
    snapshot?: BreakerSnapshot,
  ) {
    const consecutive = options.consecutiveFailures ?? 5;
    if (!Number.isInteger(consecutive) || consecutive < 1) {
      throw new RangeError(`Expected \`consecutiveFailures\` to be an integer from 1 and up, got ${consecutive}`);
    }
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? 30_000;
    const isFailure = options.isFailure ?? isBreakerFailure;
    this.policy = circuitBreaker(
      // A call that never got a token was never sent: it says nothing of the dependency, so it is
      // not counted while closed. A probe that was aborted or never got a token proves nothing
      // either: count it as a failure so the circuit re-opens instead of closing on no evidence.
      handleWhen((e) =>
        this.policy.state === CircuitState.HalfOpen
          ? isFailure(e) || isAbortError(e) || isRateLimitedError(e) || isTokenWaitError(e)
          : !isTokenWaitError(e) && isFailure(e),
      ),
      {
        halfOpenAfter: this.halfOpenAfterMs,
        breaker: new ConsecutiveOrRatioBreaker(consecutive, options.failureRatio),
        initialState: snapshot === undefined ? undefined : toCockatiel(snapshot),
      },
    );
    const onStateChange = options.onStateChange;
    if (onStateChange) this.policy.onStateChange((s) => onStateChange(key, names[s] ?? "open"));
  }

  /** Current state. An open circuit whose wait is over still reads "open" until a call probes it. */
  get state(): CircuitStateName {
    return names[this.policy.state] ?? "open";
  }

  /** Milliseconds until an open circuit admits a probe; 0 when closed or due. */
  get retryAfterMs(): number {
    const own = (this.policy.toJSON() as CockatielJson).ownState;
    if (own.value !== CircuitState.Open) return 0;
    return Math.max(0, (own.openedAt ?? 0) + this.halfOpenAfterMs - Date.now());
  }

  /**
   * Runs `fn` unless the circuit refuses it, and counts its outcome.
   * @throws BrokenCircuitError when open, or half-open with the probe already out.
   */
  async execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.policy.state === CircuitState.HalfOpen) {
      throw new BrokenCircuitError(this.key, "half-open", 0);
    }
    try {
      // Synchronous up to fn's first await: no other call can slip in between the check and the
      // transition to half-open that cockatiel makes for the probe.
      return await this.policy.execute(({ signal: s }) => fn(s), signal);
    } catch (e) {
      if (isCockatielBrokenCircuit(e)) throw new BrokenCircuitError(this.key, "open", this.retryAfterMs, { cause: e });
      throw e;
    }
  }

  /** The state as JSON for storage; restore by passing it to the constructor or a registry. */
  toJSON(): BreakerSnapshot {
    const { ownState, breakerState } = this.policy.toJSON() as CockatielJson;
    const open = ownState.value === CircuitState.Open;
    const snapshot: BreakerSnapshot = {
      version: 1,
      state: open ? "open" : "closed",
      openedAt: open ? (ownState.openedAt ?? 0) : 0,
      openings: open ? (ownState.attemptNo ?? 1) : 0,
      consecutiveFailures: breakerState.consecutiveFailures,
    };
    if (breakerState.window !== undefined) snapshot.window = breakerState.window as BreakerSnapshot["window"];
    return snapshot;
  }
}

function toCockatiel(s: BreakerSnapshot): CockatielJson {
  return {
    ownState:
      s.state === "open"
        ? { value: CircuitState.Open, openedAt: s.openedAt, attemptNo: Math.max(1, s.openings) }
        : { value: CircuitState.Closed },
    breakerState: { consecutiveFailures: s.consecutiveFailures, window: s.window },
  };
}
