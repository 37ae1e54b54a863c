/** Why redis-server could not answer: it refused or dropped the connection, or did not reply in time. */
import { hasCode } from "../../lib/errors/has-code.js";

export type RedisUnavailableReason = "connect" | "closed" | "timeout";

/** redis-server could not be reached or stopped answering; the bridge maps it to a 5xx. */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
  readonly code = "REDIS_UNAVAILABLE";
  constructor(
    message: string,
    readonly reason: RedisUnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a RedisUnavailableError, also across two copies of this module. */
export function isRedisUnavailableError(e: unknown): e is RedisUnavailableError {
  return hasCode(e, "REDIS_UNAVAILABLE");
}
