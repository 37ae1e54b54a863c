/** Counts TopDeck keeps itself for one cache namespace (never Redis's server-wide INFO numbers). */
export interface NamespaceStats {
  /** Reads answered with a fresh value. */
  hits: number;
  /** Reads answered with a stale value while it is revalidated. */
  staleHits: number;
  /** Reads that found nothing usable (absent, expired, corrupt, or Redis unavailable). */
  misses: number;
  /** Values that were there but unreadable (not JSON, not an envelope, failed the schema). */
  corrupt: number;
  /** Operations that failed because Redis was unavailable. */
  errors: number;
  /** Values written. */
  sets: number;
  /** Writes dropped because Redis was unavailable. */
  droppedWrites: number;
  /** Source calls made by `cached` (misses and revalidations). */
  loads: number;
  /** Entries deleted (delete and invalidate). */
  deleted: number;
  /** Time of reads that reached Redis. */
  latency: { count: number; totalMs: number; maxMs: number; meanMs: number };
}

function empty(): NamespaceStats {
  return {
    hits: 0,
    staleHits: 0,
    misses: 0,
    corrupt: 0,
    errors: 0,
    sets: 0,
    droppedWrites: 0,
    loads: 0,
    deleted: 0,
    latency: { count: 0, totalMs: 0, maxMs: 0, meanMs: 0 },
  };
}

/** Per-namespace statistics of every cache of one store. */
export class CacheStats {
  private readonly byNamespace = new Map<string, NamespaceStats>();

  /** The live counters of `namespace`, created on first use. */
  of(namespace: string): NamespaceStats {
    let stats = this.byNamespace.get(namespace);
    if (stats === undefined) {
      stats = empty();
      this.byNamespace.set(namespace, stats);
    }
    return stats;
  }

  /** Adds one read's duration to `namespace`. */
  recordLatency(namespace: string, ms: number): void {
    const l = this.of(namespace).latency;
    l.count++;
    l.totalMs += ms;
    l.maxMs = Math.max(l.maxMs, ms);
    l.meanMs = l.totalMs / l.count;
  }

  /** A copy of every namespace's counters. */
  snapshot(): Record<string, NamespaceStats> {
    return Object.fromEntries([...this.byNamespace].map(([ns, s]) => [ns, { ...s, latency: { ...s.latency } }]));
  }
}
