import type { Store } from "../cache/index.js";

/** Outcome of {@link StartCooldown.claim}: go ahead, or wait `retryAfterMs`. */
export type CooldownClaim = { allowed: true; reason: "claimed" | "off" | "store-unavailable" } | { allowed: false; retryAfterMs: number };

/** How often an HTTP caller may start a discovery run of one scope. */
export interface StartCooldown {
  /** Claims the scope's start slot for the cooldown, or says how long until the next one. */
  claim(): Promise<CooldownClaim>;
}

/** Options of {@link storeCooldown}. */
export interface StoreCooldownOptions {
  locks: Pick<Store["locks"], "acquire" | "holder">;
  /** The scope the cooldown is kept for. */
  scope: () => string;
  /** Time between two HTTP starts of one scope; 0 turns the cooldown off. */
  cooldownMs: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * A cooldown kept in the store, so every instance shares it: a start takes a lock that is never
 * released and expires after `cooldownMs` (SET NX PX), its owner token the time it ends. A store
 * that cannot answer lets the start through (`reason` says so): starting a run needs the store's
 * scope lock anyway, which then refuses with its own 503.
 */
export function storeCooldown(options: StoreCooldownOptions): StartCooldown {
  const now = options.now ?? Date.now;
  return {
    async claim() {
      if (options.cooldownMs <= 0) return { allowed: true, reason: "off" };
      const name = `discovery-start-cooldown:${options.scope()}`;
      const until = now() + options.cooldownMs;
      const result = await options.locks.acquire(name, { ttlMs: options.cooldownMs, owner: String(until) });
      if (result.acquired) return { allowed: true, reason: "claimed" };
      if (result.reason === "unavailable") return { allowed: true, reason: "store-unavailable" };
      const holder = await options.locks.holder(name).catch(() => null);
      const ends = Number(holder);
      const retryAfterMs = Number.isFinite(ends) && ends > now() ? Math.min(ends - now(), options.cooldownMs) : options.cooldownMs;
      return { allowed: false, retryAfterMs };
    },
  };
}

/** No cooldown (tests, and callers that rate-limit elsewhere). */
export const noCooldown: StartCooldown = { claim: () => Promise.resolve({ allowed: true, reason: "off" }) };
