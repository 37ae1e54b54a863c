import type { CircuitStateName } from "../../resilience/index.js";
import type { DriverName } from "../driver/store-driver.js";

/** Operation counts since the store started. */
export interface StoreCounters {
  /** Operations asked of the driver, refused ones included. */
  operations: number;
  /** Operations that reached Redis and failed or timed out. */
  failures: number;
  /** Of the failures, those that ran past the timeout. */
  timeouts: number;
  /** Operations the open breaker refused without calling Redis. */
  refused: number;
  /** Cache writes (set, delete, invalidate) dropped because Redis was unavailable. */
  droppedWrites: number;
  /** Cache reads that fell through to the source because Redis was unavailable. */
  fallthroughReads: number;
}

/**
 * What the health endpoint reports: `up` (last call fine, breaker closed), `degraded` (calls fail
 * but the breaker is closed, or it is probing), `down` (breaker open: Redis is skipped).
 */
export interface StoreState {
  driver: DriverName;
  state: "up" | "degraded" | "down";
  breaker: CircuitStateName;
  counters: StoreCounters;
  /** Message of the latest failure, if any call has failed. */
  lastError?: string;
}
