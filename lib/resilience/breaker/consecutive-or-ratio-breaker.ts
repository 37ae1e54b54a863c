import { type CircuitState, ConsecutiveBreaker, type IBreaker, SamplingBreaker } from "cockatiel";

/** Failure-ratio trigger of a circuit breaker. */
export interface FailureRatioOptions {
  /** Share of failed calls, strictly between 0 and 1, above which the circuit opens. */
  threshold: number;
  /** Length of the sliding window. */
  windowMs: number;
  /** Calls the window must hold before the ratio counts, so one early failure cannot open it. @default 10 */
  minimumCalls?: number;
}

/** The counters a breaker keeps, in the shape a snapshot stores them. */
export interface BreakerCounters {
  consecutiveFailures: number;
  window?: unknown;
}

/**
 * A cockatiel `IBreaker` that opens on N consecutive failures or on a failure ratio over a
 * sliding window, whichever trips first; the counting itself is cockatiel's.
 */
export class ConsecutiveOrRatioBreaker implements IBreaker {
  private readonly consecutive: ConsecutiveBreaker;
  private readonly ratio: SamplingBreaker | undefined;

  constructor(consecutiveFailures: number, ratio?: FailureRatioOptions) {
    this.consecutive = new ConsecutiveBreaker(consecutiveFailures);
    this.ratio =
      ratio === undefined
        ? undefined
        : new SamplingBreaker({
            threshold: ratio.threshold,
            duration: ratio.windowMs,
            minimumRps: (ratio.minimumCalls ?? 10) / (ratio.windowMs / 1000),
          });
  }

  /** The counters, for snapshots. */
  get state(): BreakerCounters {
    return { consecutiveFailures: this.consecutive.state, window: this.ratio?.state };
  }

  /** Restores counters; a window of another shape (changed settings) is dropped, not trusted. */
  set state(value: BreakerCounters) {
    this.consecutive.state = value.consecutiveFailures;
    const current = this.ratio?.state as { windows?: unknown[] } | undefined;
    const incoming = value.window as { windows?: unknown[] } | undefined;
    if (this.ratio && current && incoming && incoming.windows?.length === current.windows?.length) {
      this.ratio.state = incoming;
    }
  }

  /** @inheritdoc */
  success(state: CircuitState): void {
    this.consecutive.success();
    this.ratio?.success(state);
  }

  /** @inheritdoc */
  failure(state: CircuitState): boolean {
    const byCount = this.consecutive.failure();
    const byRatio = this.ratio?.failure(state) ?? false;
    return byCount || byRatio;
  }
}
