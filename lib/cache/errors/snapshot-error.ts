import { hasCode } from "../../errors/has-code.js";

const CODE = "TOPDECK_SNAPSHOT";

/**
 * What went wrong with a snapshot: `incomplete` (a staged chunk is gone, e.g. expired or lost in a
 * Redis restart: stage again), `conflict` (the head kept moving under repeated commits),
 * `unreadable` (no kept snapshot passed its checksum and schema), `too-large` (a key leaves no
 * room for data within the chunk limit), `fenced` (a fenced commit whose lock has since expired or
 * passed to a newer holder: nothing was committed, and this writer must not try again).
 */
export type SnapshotErrorReason = "incomplete" | "conflict" | "unreadable" | "too-large" | "fenced";

/** A snapshot could not be committed or read, for a reason other than Redis being unavailable. */
export class SnapshotError extends Error {
  override readonly name = "SnapshotError";
  /** Stable code, checked by {@link isSnapshotError}. */
  readonly code = CODE;

  constructor(
    readonly reason: SnapshotErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a SnapshotError, also one thrown by another copy of this package. */
export function isSnapshotError(e: unknown): e is SnapshotError {
  return hasCode(e, CODE);
}
