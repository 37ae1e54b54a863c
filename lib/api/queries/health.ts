import type { StoreState } from "../../cache/index.js";
import type { QueryStore, SnapshotSource } from "../snapshot-source.js";

/** What `GET /health` reads. */
export interface HealthContext {
  source: SnapshotSource;
  store: Pick<QueryStore, "state" | "snapshots">;
  now?: () => number;
}

/** The last committed snapshot, as health reports it. */
export interface LastSnapshot {
  runId: string;
  committedAt?: string;
  /** Seconds since the commit. */
  ageSeconds?: number;
  resources: number;
  edges: number;
  /** Failures the run recorded; null when the snapshot could not be loaded. */
  errors: number | null;
}

/** The health answer: overall status and each dependency's state. */
export interface HealthAnswer {
  status: "healthy" | "degraded" | "unhealthy";
  /** Why the status is not healthy. */
  reasons: string[];
  store: Pick<StoreState, "driver" | "state" | "breaker" | "counters">;
  snapshot: LastSnapshot | null;
  breakers: Record<string, string>;
}

/**
 * Health without side effects on the data: the store's state and breaker, the last snapshot's
 * age and outcome. `unhealthy` when the store is down and this instance holds no snapshot;
 * `degraded` when the store is failing, nothing was committed yet, or the last run recorded errors.
 * Never throws.
 */
export async function healthQuery(ctx: HealthContext): Promise<HealthAnswer> {
  const now = ctx.now ?? Date.now;
  const state = ctx.store.state();
  const reasons: string[] = [];
  let snapshot: LastSnapshot | null = null;
  let listed = true;
  try {
    const [head] = await ctx.store.snapshots.list(ctx.source.scopeKey());
    if (head !== undefined) {
      const committed = head.committedAt === undefined ? undefined : Date.parse(head.committedAt);
      const loaded = await ctx.source.tryCurrent().catch(() => ctx.source.peek());
      snapshot = {
        runId: head.runId,
        ...(head.committedAt !== undefined ? { committedAt: head.committedAt } : {}),
        ...(committed !== undefined && Number.isFinite(committed) ? { ageSeconds: Math.max(0, Math.round((now() - committed) / 1000)) } : {}),
        resources: head.resources,
        edges: head.edges,
        errors: loaded?.export.runId === head.runId ? loaded.export.errors.length : null,
      };
    }
  } catch {
    listed = false;
    const loaded = ctx.source.peek();
    if (loaded !== undefined) {
      snapshot = {
        runId: loaded.export.runId,
        ...(loaded.manifest.committedAt !== undefined ? { committedAt: loaded.manifest.committedAt } : {}),
        resources: loaded.manifest.resources,
        edges: loaded.manifest.edges,
        errors: loaded.export.errors.length,
      };
    }
  }
  if (state.state !== "up") reasons.push(`store ${state.state} (${state.driver}, breaker ${state.breaker})`);
  if (!listed) reasons.push("the snapshot head could not be read");
  if (snapshot === null && listed) reasons.push("no discovery run has been committed yet");
  if (snapshot?.errors) reasons.push(`the last run recorded ${snapshot.errors} error(s)`);
  const status = (state.state === "down" || !listed) && snapshot === null ? "unhealthy" : reasons.length > 0 ? "degraded" : "healthy";
  return {
    status,
    reasons,
    store: { driver: state.driver, state: state.state, breaker: state.breaker, counters: state.counters },
    snapshot,
    breakers: { store: state.breaker },
  };
}
