// A StoreDriver wrapper that counts every driver operation and can fail exactly one of them, for
// the "fault at every step" suites: the Nth operation (or the first one a predicate picks) fails
// before it is applied, is applied but its reply is lost, or hangs past the guard's timeout and
// then fails, never applied. Works over any driver, including operations added later (a Proxy).
import type { StoreDriver } from "../../lib/cache/index.js";

/** How the chosen operation fails. */
export type FaultMode = "error" | "reply-lost" | "timeout";

/** One operation as the wrapper saw it. */
export interface DriverCall {
  n: number;
  op: string;
  args: readonly unknown[];
}

/** Which operation fails: the `n`th (1-based) from now, or the first that `match` picks. */
export interface FaultPlan {
  mode: FaultMode;
  n?: number;
  match?: (call: DriverCall) => boolean;
}

/** The wrapper and its controls. */
export interface FaultyDriver {
  driver: StoreDriver;
  /** Operations since the last `reset`, in order. */
  readonly calls: DriverCall[];
  /** Starts counting from zero again, with `plan` (or no fault). */
  reset(plan?: FaultPlan): void;
  /** True once the planned fault was injected. */
  readonly fired: boolean;
  /** Holds the first operation `match` picks until the returned `release` is called. */
  pause(match: (call: DriverCall) => boolean): { reached: Promise<void>; release: () => void };
}

/** An error as a network failure shows it. */
class InjectedFault extends Error {
  override readonly name = "InjectedFault";
}

/**
 * Wraps `inner`. A `timeout` fault hangs `hangMs` (give the Store timeouts below it) and then fails
 * unapplied; an operation whose guard timeout is longer (documents: 5 s, fixed in lib/cache) sees
 * a slow failure instead. @default hangMs 50
 */
export function faultyDriver(inner: StoreDriver, options: { hangMs?: number } = {}): FaultyDriver {
  const hangMs = options.hangMs ?? 50;
  let plan: FaultPlan | undefined;
  let fired = false;
  const calls: DriverCall[] = [];
  const pauses: Array<{ match: (c: DriverCall) => boolean; gate: Promise<void>; reached: () => void; used: boolean }> = [];
  const driver = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "constructor") return value;
      const op = String(prop);
      return async (...args: unknown[]) => {
        const call: DriverCall = { n: calls.length + 1, op, args };
        calls.push(call);
        const held = pauses.find((p) => !p.used && p.match(call));
        if (held !== undefined) {
          held.used = true;
          held.reached();
          await held.gate;
        }
        const chosen = plan !== undefined && !fired && (plan.n === undefined ? plan.match?.(call) === true : plan.n === call.n);
        if (!chosen) return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        fired = true;
        switch (plan!.mode) {
          case "error":
            throw new InjectedFault(`injected: ${op} failed before it was applied`);
          case "reply-lost":
            await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            throw new InjectedFault(`injected: ${op} was applied but its reply was lost`);
          case "timeout":
            await new Promise((resolve) => setTimeout(resolve, hangMs));
            throw new InjectedFault(`injected: ${op} hung past the timeout`);
        }
      };
    },
  });
  return {
    driver,
    calls,
    get fired() {
      return fired;
    },
    reset(next) {
      plan = next;
      fired = false;
      calls.length = 0;
    },
    pause(match) {
      let release!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const reachedP = new Promise<void>((r) => (reached = r));
      const entry = { match, gate, reached, used: false };
      pauses.push(entry);
      return {
        reached: reachedP,
        release: () => {
          pauses.splice(pauses.indexOf(entry), 1);
          release();
        },
      };
    },
  };
}
