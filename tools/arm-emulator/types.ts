import type { Estate } from "../estates/schema.js";

/** Every kind of fault the emulator can inject, in the order the PRNG draws from. */
export const faultKinds = [
  "internal-error",
  "unavailable",
  "throttled-no-retry-after",
  "connection-reset",
  "stall",
  "malformed-json",
] as const;

/**
 * A fault the emulator can inject: `internal-error` 500, `unavailable` 503, `throttled-no-retry-after`
 * 429 without Retry-After, `connection-reset` (socket destroyed), `stall` (no response until the
 * client gives up or the emulator closes), `malformed-json` (200 with a truncated body).
 */
export type FaultKind = (typeof faultKinds)[number];

/** Token-bucket settings for ARM reads, per subscription (and one bucket for tenant-level routes). */
export interface ThrottleSettings {
  /** Bucket size: reads allowed in a burst. */
  burst: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
}

/** What a test's {@link ArmEmulatorOptions.intercept} hook is told of a request, on arrival. */
export interface InterceptedRequest {
  /** Decoded, normalized path (original casing), no query. */
  path: string;
  /** Emulator origin + path + the original query. */
  url: URL;
  /** The route template the request log counts it under. */
  template: string;
  /** Which page of a list this is, from 0 (the `$skiptoken` offset over the page size). */
  page: number;
}

/**
 * What the hook makes of a request: answer with a fault, answer with `respond(normal)` instead of
 * the normal answer (to rewrite a page), or add headers to the normal answer.
 */
export type Interception = { fault: FaultKind } | { respond: (normal: ArmAnswer) => ArmAnswer } | { headers: Record<string, string> };

/** An emulator answer before serialization. */
export interface ArmAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Options of startArmEmulator. */
export interface ArmEmulatorOptions {
  /** The estate to serve (docs/interfaces.md section 1). */
  estate: Estate;
  /** TCP port on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** Delay added before every response. @default 0 */
  latencyMs?: number;
  /** Items per page on every list route. @default 100 */
  pageSize?: number;
  /** Read throttling, or "off". @default { burst: 250, refillPerSecond: 25 } (ARM's read limits) */
  throttle?: ThrottleSettings | "off";
  /** Share of requests (0..1) that get a fault instead of their answer. @default 0 */
  faultRate?: number;
  /** Seed of the fault PRNG: the same seed and request order give the same faults. @default 1 */
  seed?: number;
  /**
   * Kinds of fault to draw from. @default every kind in faultKinds
   * Warning: with "stall", a client without a timeout waits until close() is called.
   */
  faults?: readonly FaultKind[];
  /** Clock for the token buckets, in milliseconds (a test hook). @default Date.now */
  now?: () => number;
  /**
   * Test hook, called on each request's arrival (before the latency wait and the token bucket):
   * fail exactly this path or page, rewrite its answer, or add headers. Undefined: serve as usual.
   * Not a command-line flag: the emulator command never sets it.
   */
  intercept?: (request: InterceptedRequest) => Interception | undefined;
}

/** Counts of what the emulator answered since start or the last resetLog(). */
export interface RequestLogSnapshot {
  /** Every request received. */
  total: number;
  /** Route template -> HTTP status (or "reset" / "stall") -> count. */
  byRoute: Record<string, Record<string, number>>;
  /** Requests refused by the token bucket (429 with Retry-After). */
  throttled: number;
  /** Injected faults by kind. */
  faults: Record<FaultKind, number>;
}

/** A running ARM emulator. */
export interface ArmEmulator {
  /** Base URL, `https://127.0.0.1:PORT`, to use as the ARM endpoint. */
  readonly url: string;
  /** Path of a PEM file holding the CA that signed the server certificate (removed on close). */
  readonly caCertPath: string;
  /** The CA certificate, PEM: give it to an https.Agent's `ca`. */
  readonly ca: string;
  /** A snapshot of the request counts. */
  requestLog(): RequestLogSnapshot;
  /** Sets every request count back to zero. */
  resetLog(): void;
  /** Serves another estate from the next request on (throttle state and the log are kept). */
  setEstate(estate: Estate): void;
  /** Stops serving: ends stalled responses and open connections, removes the CA file. */
  close(): Promise<void>;
}
