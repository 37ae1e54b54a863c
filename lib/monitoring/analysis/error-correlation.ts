import type { ClassifiedError } from "../loki/classify-errors.js";
import type { ErrorType } from "../loki/error-type.js";
import { errorOnset } from "./error-onset.js";

/** The error lines of one resource on the dependency path. */
export interface ResourceErrorLog {
  key: string;
  distance: number;
  errors: readonly ClassifiedError[];
  /** The log query hit its limit: counts are lower bounds, the onset may be later than shown. */
  truncated: boolean;
  /** Why there are no lines to judge (no template, cannot be selected), when that is the case. */
  unmonitored?: string;
}

/** What one resource's errors looked like in the window. */
export interface ResourceErrorSummary {
  key: string;
  distance: number;
  count: number;
  truncated: boolean;
  unmonitored?: string;
  firstErrorMs?: number;
  /** When its errors began (see `errorOnset`); undefined for none. */
  onsetMs?: number;
  /** Errors were there from the window's start and never rose: they began before it. */
  ongoing: boolean;
  byType: Partial<Record<ErrorType, number>>;
  /** Up to 10 correlation ids, in order of first appearance. */
  correlationIds: string[];
  /** Up to 5 error lines from the onset on. */
  samples: ClassifiedError[];
}

/** Errors along the dependency path, ordered by when they began. */
export interface ErrorCorrelation {
  /**
   * Resources whose errors rose inside the window first (earliest first; ties: the deeper first),
   * then those erroring since before it, then the rest by distance.
   */
  resources: ResourceErrorSummary[];
  /**
   * The resource whose errors began first, and how far ahead of the next it was. `ongoing` when no
   * resource's errors rose inside the window and this one's were already there.
   */
  origin?: { key: string; distance: number; onsetMs: number; leadMs?: number; ongoing: boolean };
  /** Correlation ids seen on two or more resources, with where each appeared first (up to 20). */
  propagation: Array<{ correlationId: string; path: Array<{ key: string; firstSeenMs: number }> }>;
}

function summarise(log: ResourceErrorLog, window: { startMs: number; endMs: number; bucketMs: number }): ResourceErrorSummary {
  const times = log.errors.map((e) => e.timeMs);
  const onset = errorOnset(times, window);
  const byType: Partial<Record<ErrorType, number>> = {};
  const ids: string[] = [];
  for (const e of log.errors) {
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    if (e.correlationId !== undefined && ids.length < 10 && !ids.includes(e.correlationId)) ids.push(e.correlationId);
  }
  return {
    key: log.key,
    distance: log.distance,
    count: log.errors.length,
    truncated: log.truncated,
    ...(log.unmonitored !== undefined && { unmonitored: log.unmonitored }),
    ...(times.length > 0 && { firstErrorMs: times[0] }),
    ...(onset && { onsetMs: onset.onsetMs }),
    ongoing: onset?.ongoing ?? false,
    byType,
    correlationIds: ids,
    samples: log.errors.filter((e) => e.timeMs >= (onset?.onsetMs ?? 0)).slice(0, 5),
  };
}

/**
 * Orders the resources on a path by when their errors began, so "whose errors started first"
 * has an answer: a database erroring two minutes before the web app that calls it is the origin,
 * not a victim. Correlation ids seen on several resources show the same requests failing along
 * the path. `errors` must be sorted by time.
 */
export function correlateErrors(
  logs: readonly ResourceErrorLog[],
  window: { startMs: number; endMs: number; bucketMs: number },
): ErrorCorrelation {
  const summaries = logs.map((l) => summarise(l, window));
  // A rise seen in the window first, then errors that were already there, then the rest.
  const tier = (s: ResourceErrorSummary): number => (s.onsetMs === undefined ? 2 : s.ongoing ? 1 : 0);
  const resources = summaries.sort((a, b) => {
    if (tier(a) !== tier(b)) return tier(a) - tier(b);
    if (tier(a) < 2 && a.onsetMs !== b.onsetMs) return a.onsetMs! - b.onsetMs!;
    return tier(a) < 2 ? b.distance - a.distance : a.distance - b.distance || a.key.localeCompare(b.key);
  });
  const [first, second] = resources;
  const origin =
    first?.onsetMs === undefined
      ? undefined
      : {
          key: first.key,
          distance: first.distance,
          onsetMs: first.onsetMs,
          ...(second?.onsetMs !== undefined && { leadMs: second.onsetMs - first.onsetMs }),
          ongoing: first.ongoing,
        };
  const seen = new Map<string, Map<string, number>>();
  for (const log of logs) {
    for (const e of log.errors) {
      if (e.correlationId === undefined) continue;
      let where = seen.get(e.correlationId);
      if (!where) seen.set(e.correlationId, (where = new Map()));
      if (!where.has(log.key)) where.set(log.key, e.timeMs);
    }
  }
  const propagation = [...seen]
    .filter(([, where]) => where.size >= 2)
    .map(([correlationId, where]) => ({
      correlationId,
      path: [...where].map(([key, firstSeenMs]) => ({ key, firstSeenMs })).sort((a, b) => a.firstSeenMs - b.firstSeenMs),
    }))
    .sort((a, b) => a.path[0]!.firstSeenMs - b.path[0]!.firstSeenMs)
    .slice(0, 20);
  return { resources, ...(origin && { origin }), propagation };
}
