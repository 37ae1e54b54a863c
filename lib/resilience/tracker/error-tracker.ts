import type { Now } from "../common/clock.js";
import { AllFailedError } from "../errors/all-failed-error.js";
import { describeError, type ErrorDescription } from "../errors/describe-error.js";
import type { ErrorSummary } from "./error-summary.js";

/** One recorded failure. */
export interface TrackedError extends ErrorDescription {
  /** The input that failed (a resource type, a subscription id). */
  itemId: string;
  /** Whatever the caller knows about the item (subscription, attempts, url). */
  context?: Readonly<Record<string, unknown>>;
  /** Epoch ms when recorded. */
  at: number;
}

/**
 * Collects failures per item during a fan-out, and answers "how bad was it?": totals, error rate,
 * counts by type and code, and whether everything failed.
 */
export class ErrorTracker {
  private readonly outcomes = new Map<string, boolean>();
  private readonly recorded: TrackedError[] = [];
  private first: unknown;

  private readonly now: Now;

  constructor(options: { /** @default Date.now */ now?: Now } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Marks `itemId` as done. A later success overrides an earlier failure of the same item. */
  recordSuccess(itemId: string): void {
    this.outcomes.set(itemId, true);
  }

  /** Records a failure of `itemId`, with context for the report. */
  recordError(itemId: string, error: unknown, context?: Readonly<Record<string, unknown>>): TrackedError {
    const tracked: TrackedError = { itemId, ...describeError(error), at: this.now() };
    if (context !== undefined) tracked.context = context;
    this.outcomes.set(itemId, false);
    if (this.recorded.length === 0) this.first = error;
    this.recorded.push(tracked);
    return tracked;
  }

  /** Every failure recorded, in order (an item retried by hand may appear more than once). */
  get errors(): readonly TrackedError[] {
    return this.recorded;
  }

  /** Totals by each item's last outcome. */
  summary(): ErrorSummary {
    const failedIds = new Set([...this.outcomes].filter(([, ok]) => !ok).map(([id]) => id));
    const byType: Record<string, number> = {};
    const byCode: Record<string, number> = {};
    const last = new Map<string, TrackedError>();
    for (const e of this.recorded) if (failedIds.has(e.itemId)) last.set(e.itemId, e);
    for (const e of last.values()) {
      byType[e.type] = (byType[e.type] ?? 0) + 1;
      byCode[e.code] = (byCode[e.code] ?? 0) + 1;
    }
    const total = this.outcomes.size;
    const failed = failedIds.size;
    return { total, succeeded: total - failed, failed, errorRate: total === 0 ? 0 : failed / total, byType, byCode };
  }

  /**
   * Throws when at least one item was recorded and none succeeded: the run produced nothing.
   * @throws AllFailedError with the first recorded error as `cause`.
   */
  throwIfAllFailed(): void {
    const s = this.summary();
    if (s.total > 0 && s.succeeded === 0) throw new AllFailedError(s, { cause: this.first });
  }
}
