import { type FaultKind, faultKinds, type RequestLogSnapshot } from "./types.js";

function emptyFaults(): Record<FaultKind, number> {
  return Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;
}

/** Counts requests by route template and outcome, throttled requests and injected faults. */
export class RequestLog {
  private snapshot: RequestLogSnapshot = RequestLog.empty();

  private static empty(): RequestLogSnapshot {
    return { total: 0, byRoute: {}, throttled: 0, faults: emptyFaults() };
  }

  /** Records one answered request; `outcome` is the HTTP status, or "reset" / "stall". */
  record(route: string, outcome: number | "reset" | "stall"): void {
    this.snapshot.total += 1;
    const statuses = (this.snapshot.byRoute[route] ??= {});
    const key = String(outcome);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }

  /** Counts a request refused by the token bucket. */
  recordThrottled(): void {
    this.snapshot.throttled += 1;
  }

  /** Counts an injected fault. */
  recordFault(kind: FaultKind): void {
    this.snapshot.faults[kind] += 1;
  }

  /** A deep copy of the counts. */
  read(): RequestLogSnapshot {
    return structuredClone(this.snapshot);
  }

  /** Sets every count back to zero. */
  reset(): void {
    this.snapshot = RequestLog.empty();
  }
}
