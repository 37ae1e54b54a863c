import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { BreakerRegistry } from "../../../../lib/resilience/breaker/breaker-registry.js";

const fail = () => Promise.reject(Object.assign(new Error("HTTP 503"), { statusCode: 503 }));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("BreakerRegistry", () => {
  it("keeps one breaker per key: one provider failing does not stop another", async () => {
    const r = new BreakerRegistry({ consecutiveFailures: 1 });
    await r
      .get("microsoft.network")
      .execute(fail)
      .catch(() => undefined);
    expect(r.get("microsoft.network").state).toBe("open");
    expect(r.get("microsoft.web").state).toBe("closed");
    expect(r.get("microsoft.network")).toBe(r.get("microsoft.network"));
  });

  it("saves every breaker and restores them in a new registry; bad entries are skipped", async () => {
    const a = new BreakerRegistry({ consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    await a
      .get("microsoft.network")
      .execute(fail)
      .catch(() => undefined);
    a.get("microsoft.web");
    const stored = JSON.parse(JSON.stringify(a)) as Record<string, unknown>;

    const b = new BreakerRegistry({ consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    expect(b.restore({ ...stored, "microsoft.sql": { version: 9 } })).toBe(2);
    expect(b.get("microsoft.network").state).toBe("open");
    expect(b.get("microsoft.web").state).toBe("closed");
    expect(b.get("microsoft.sql").state).toBe("closed");
    expect(b.restore("garbage")).toBe(0);
  });

  it("a breaker already in use keeps its live state over a stored copy", async () => {
    const r = new BreakerRegistry({ consecutiveFailures: 1 });
    const live = r.get("k");
    expect(r.restore({ k: { version: 1, state: "open", openedAt: Date.now(), openings: 1, consecutiveFailures: 1 } })).toBe(0);
    expect(r.get("k")).toBe(live);
    expect(live.state).toBe("closed");
  });
});
