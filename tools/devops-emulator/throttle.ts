/** Settings of the emulator's usage limit: requests per sliding minute, per organisation. */
export interface UsageLimit {
  /** Requests allowed in any 60 s window before requests are blocked with 429. */
  perMinute: number;
}

/** What the throttle decided for one request, with the headers Azure DevOps sends. */
export interface UsageDecision {
  blocked: boolean;
  headers: Record<string, string>;
}

/**
 * A sliding-window usage counter in the shape of Azure DevOps' throttling (facts: the rate-limits
 * page): every response carries `X-RateLimit-Limit`, `-Remaining`, `-Reset` and `-Resource`; past
 * the limit a request is blocked with 429 and `Retry-After` (seconds until the oldest request in the
 * window ages out). Blocked requests do not count.
 */
export class UsageThrottle {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: UsageLimit | "off",
    private readonly now: () => number,
  ) {}

  decide(): UsageDecision {
    if (this.limit === "off") return { blocked: false, headers: {} };
    const t = this.now();
    while (this.times.length > 0 && (this.times[0] ?? 0) <= t - 60_000) this.times.shift();
    const blocked = this.times.length >= this.limit.perMinute;
    if (!blocked) this.times.push(t);
    const oldest = this.times[0] ?? t;
    const headers: Record<string, string> = {
      "X-RateLimit-Resource": "Core.ApiRequests",
      "X-RateLimit-Limit": String(this.limit.perMinute),
      "X-RateLimit-Remaining": String(Math.max(0, this.limit.perMinute - this.times.length)),
      "X-RateLimit-Reset": String(Math.ceil((oldest + 60_000) / 1000)),
    };
    if (blocked) headers["Retry-After"] = String(Math.max(1, Math.ceil((oldest + 60_000 - t) / 1000)));
    return { blocked, headers };
  }
}
