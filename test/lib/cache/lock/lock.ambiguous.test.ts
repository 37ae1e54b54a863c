// Lock operations whose outcome is ambiguous, against both drivers: a SET NX that the store
// applied but whose reply was lost or came too late is read back, and Lease.check tells "held",
// "lost" and "unavailable" apart. A small wrapping driver injects the faults.
import { describe, expect, it, vi } from "vitest";

import { Store, type StoreDriver } from "../../../../lib/cache/index.js";
import { DRIVERS, useDrivers } from "../support/harness.js";

const drivers = useDrivers();

type Faults = Partial<Record<keyof StoreDriver, "fail" | "applied-then-fail" | "applied-then-hang" | "slow">>;

/**
 * `inner` with the faults of `faults()` (read on every call, so a test can change them).
 * `onApplied` hears when a command the fault lets through has run in the store.
 */
function faulty(inner: StoreDriver, faults: () => Faults, onApplied: () => void = () => undefined): StoreDriver {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const fault = faults()[prop as keyof StoreDriver];
        const run = (): Promise<unknown> => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (fault === "fail") throw new Error("connection reset");
        if (fault === "slow") await new Promise((r) => setTimeout(r, 20));
        const result = await run();
        if (fault !== undefined) onApplied();
        if (fault === "applied-then-fail") throw new Error("socket hang up (after the command ran)");
        if (fault === "applied-then-hang") return new Promise(() => undefined);
        return result;
      };
    },
  });
}

describe.each(DRIVERS)("lock with ambiguous outcomes (%s)", (name) => {
  function setUp(lockTimeoutMs = 5_000): { store: Store; faults: Faults; other: Store; applied: () => Promise<void> } {
    const d = drivers(name);
    const faults: Faults = {};
    let heard: () => void = () => undefined;
    let applied = new Promise<void>((resolve) => (heard = resolve));
    const onApplied = (): void => {
      heard();
      applied = new Promise<void>((resolve) => (heard = resolve));
    };
    const store = new Store({
      driver: faulty(d.raw(), () => faults, onApplied),
      prefix: d.prefix,
      log: undefined,
      lockTimeoutMs,
      timeoutMs: 5_000,
    });
    return { store, faults, other: d.open(), applied: () => applied };
  }

  it("SET NX applied but its reply lost: acquire reads the holder back and holds the lock with the stored fencing token", async () => {
    const { store, faults, other } = setUp();
    faults.acquireLock = "applied-then-fail";
    const taken = await store.locks.acquire("scope", { ttlMs: 10_000, owner: "run-1" });
    if (!taken.acquired) throw new Error(`expected the lock, got ${JSON.stringify(taken)}`);
    expect(taken.lease.owner).toBe("run-1");
    expect(await other.locks.holder("scope")).toBe("run-1");
    expect(await other.locks.acquire("scope", { ttlMs: 10_000 })).toEqual({ acquired: false, reason: "held" });
    delete faults.acquireLock;
    expect(await taken.lease.release()).toBe(true);
    const next = await other.locks.acquire("scope", { ttlMs: 10_000 });
    expect(next.acquired && next.lease.fencingToken).toBe(taken.lease.fencingToken + 1);
  });

  it("SET NX applied but the reply came after the lock timeout: acquired by readback", async () => {
    const { store, faults, other, applied } = setUp(1_000);
    faults.acquireLock = "applied-then-hang";
    // Only timers are faked: the lock timeout fires when told to, after the SET NX has run.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let taken;
    try {
      const appliedNow = applied();
      const pending = store.locks.acquire("scope", { ttlMs: 10_000 });
      await appliedNow;
      await vi.advanceTimersByTimeAsync(1_000);
      taken = await pending;
    } finally {
      vi.useRealTimers();
    }
    expect(taken.acquired).toBe(true);
    expect(taken.acquired && (await other.locks.holder("scope"))).toBe(taken.acquired && taken.lease.owner);
  });

  it("an ambiguous acquire while someone else holds the lock is `held`; one that did not apply on a free lock is `unavailable`", async () => {
    const { store, faults, other } = setUp();
    faults.acquireLock = "fail";
    expect(await store.locks.acquire("free", { ttlMs: 10_000 })).toEqual({ acquired: false, reason: "unavailable" });
    expect(await other.locks.holder("free")).toBeNull();
    const held = await other.locks.acquire("busy", { ttlMs: 10_000, owner: "run-9" });
    expect(held.acquired).toBe(true);
    expect(await store.locks.acquire("busy", { ttlMs: 10_000 })).toEqual({ acquired: false, reason: "held" });
  });

  it("an ambiguous acquire whose readback fails too releases what it may hold and says `unavailable`", async () => {
    const { store, faults, other } = setUp();
    faults.acquireLock = "applied-then-fail";
    faults.mget = "fail";
    faults.get = "fail";
    expect(await store.locks.acquire("scope", { ttlMs: 10_000, owner: "run-1" })).toEqual({ acquired: false, reason: "unavailable" });
    // The lock it took is not left behind to block every later run until its TTL.
    expect(await other.locks.holder("scope")).toBeNull();
  });

  it("lock operations run under the lock timeout, not the (short) cache timeout", async () => {
    const d = drivers(name);
    const faults: Faults = { acquireLock: "slow", renewLock: "slow", releaseLock: "slow", get: "slow" };
    const store = new Store({ driver: faulty(d.raw(), () => faults), prefix: d.prefix, log: undefined, timeoutMs: 1 });
    const taken = await store.locks.acquire("slow", { ttlMs: 10_000, owner: "run-1" });
    if (!taken.acquired) throw new Error(`expected the lock, got ${JSON.stringify(taken)}`);
    expect(await store.locks.holder("slow")).toBe("run-1");
    expect(await taken.lease.renew()).toBe(true);
    expect(await taken.lease.release()).toBe(true);
  });

  it("Lease.check tells held, lost and unavailable apart", async () => {
    const { store, faults, other } = setUp();
    const taken = await store.locks.acquire("scope", { ttlMs: 10_000 });
    if (!taken.acquired) throw new Error("expected the lock");
    expect(await taken.lease.check()).toBe("held");
    faults.renewLock = "fail";
    expect(await taken.lease.check()).toBe("unavailable");
    expect(await taken.lease.renew()).toBe(false);
    delete faults.renewLock;
    expect(await taken.lease.check()).toBe("held");
    // Someone else resumes the lease by its tokens and lets it go; this holder has lost it.
    expect(await other.locks.resume("scope", taken.lease.owner, taken.lease.fencingToken, 10_000).release()).toBe(true);
    expect(await taken.lease.check()).toBe("lost");
    await other.locks.acquire("scope", { ttlMs: 10_000 });
    expect(await taken.lease.check()).toBe("lost");
  });
});
