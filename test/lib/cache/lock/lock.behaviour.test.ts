// Distributed locks against both drivers: exclusion, owner-only renew and release, fencing tokens.
import { describe, expect, it } from "vitest";

import type { Lease } from "../../../../lib/cache/index.js";
import { DRIVERS, pause, useDrivers } from "../support/harness.js";

const drivers = useDrivers();

describe.each(DRIVERS)("distributed lock (%s)", (name) => {
  it("two instances racing for one lock: exactly one wins; the next holder's fencing token is higher", async () => {
    const d = drivers(name);
    const [a, b] = [d.open(), d.open()];
    const results = await Promise.all([a.locks.acquire("sub-1", { ttlMs: 10_000 }), b.locks.acquire("sub-1", { ttlMs: 10_000 })]);
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    expect(results.find((r) => !r.acquired)).toEqual({ acquired: false, reason: "held" });
    const first = (winners[0] as { lease: Lease }).lease;
    expect(first.fencingToken).toBeGreaterThanOrEqual(1);

    expect(await first.release()).toBe(true);
    const again = await b.locks.acquire("sub-1", { ttlMs: 10_000 });
    expect(again.acquired).toBe(true);
    expect(again.acquired && again.lease.fencingToken).toBe(first.fencingToken + 1);
  });

  it("many rounds of four contenders: one winner per round, fencing tokens strictly increasing", async () => {
    const d = drivers(name);
    const contenders = Array.from({ length: 4 }, () => d.open());
    const tokens: number[] = [];
    for (let round = 0; round < 8; round++) {
      const results = await Promise.all(contenders.map((s) => s.locks.acquire("race", { ttlMs: 10_000 })));
      const leases = results.flatMap((r) => (r.acquired ? [r.lease] : []));
      expect(leases, `round ${round}`).toHaveLength(1);
      tokens.push(leases[0]!.fencingToken);
      expect(await leases[0]!.release()).toBe(true);
    }
    expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("only the owner renews or releases; an expired lease can be taken over and the old owner cannot release it", async () => {
    const d = drivers(name);
    const [a, b] = [d.open(), d.open()];
    const held = await a.locks.acquire("owned", { ttlMs: 10_000 });
    if (!held.acquired) throw new Error("expected the lock");
    expect(await held.lease.renew(10_000)).toBe(true);
    expect(await b.locks.acquire("owned", { ttlMs: 30 })).toEqual({ acquired: false, reason: "held" });
    // Renewing with a short TTL, then letting it run out.
    expect(await held.lease.renew(30)).toBe(true);
    await pause(45);
    const taken = await b.locks.acquire("owned", { ttlMs: 10_000 });
    if (!taken.acquired) throw new Error("expected the expired lock to be free");
    expect(taken.lease.fencingToken).toBeGreaterThan(held.lease.fencingToken);
    expect(await held.lease.renew()).toBe(false);
    expect(await held.lease.release()).toBe(false);
    expect(await b.locks.acquire("owned", { ttlMs: 10_000 })).toMatchObject({ acquired: false, reason: "held" });
    expect(await taken.lease.release()).toBe(true);
  });

  it("locks with different names do not exclude each other, even when a name holds glob characters", async () => {
    const d = drivers(name);
    const s = d.open();
    const star = await s.locks.acquire("sub-*", { ttlMs: 10_000 });
    const plain = await s.locks.acquire("sub-1", { ttlMs: 10_000 });
    expect([star.acquired, plain.acquired]).toEqual([true, true]);
  });

  it("a named owner is visible to others, and another process resumes the lease by its tokens to renew and release it", async () => {
    const d = drivers(name);
    const [starter, worker, bystander] = [d.open(), d.open(), d.open()];
    expect(await bystander.locks.holder("scope")).toBeNull();
    const held = await starter.locks.acquire("scope", { ttlMs: 10_000, owner: "run-42" });
    if (!held.acquired) throw new Error("expected the lock");
    expect(held.lease.owner).toBe("run-42");
    expect(await bystander.locks.holder("scope")).toBe("run-42");
    expect(await bystander.locks.acquire("scope", { ttlMs: 10_000, owner: "run-43" })).toEqual({ acquired: false, reason: "held" });

    const resumed = worker.locks.resume("scope", "run-42", held.lease.fencingToken, 10_000);
    expect(resumed.fencingToken).toBe(held.lease.fencingToken);
    expect(await resumed.renew()).toBe(true);
    // A lease resumed with the wrong owner token holds nothing.
    expect(await worker.locks.resume("scope", "run-41", held.lease.fencingToken, 10_000).release()).toBe(false);
    expect(await bystander.locks.holder("scope")).toBe("run-42");
    expect(await resumed.release()).toBe(true);
    expect(await bystander.locks.holder("scope")).toBeNull();
    await expect(starter.locks.acquire("scope", { ttlMs: 10_000, owner: "" })).rejects.toThrow(RangeError);
  });
});
