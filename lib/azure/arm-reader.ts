import { hasCode } from "../errors/has-code.js";
import type { ProviderInfo } from "./api-versions.js";

/** Request counters; the reader adds to the one it is given, so a caller can count per type. */
export interface CallStats {
  requests: number;
  pages: number;
  throttled: number;
  retries: number;
}

/** Fresh zeroed counters. */
export function newCallStats(): CallStats {
  return { requests: 0, pages: 0, throttled: 0, retries: 0 };
}

/** A subscription as ARM lists it. */
export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string;
}

/**
 * The ARM reads discovery makes, each already wrapped in the resilience composition. Pages are
 * yielded as they arrive so a caller never holds more than it keeps. Every read takes the
 * caller's `signal`: once it aborts, no new request starts and the one in flight is aborted.
 */
export interface ArmReader {
  listSubscriptions(stats?: CallStats, signal?: AbortSignal): Promise<SubscriptionInfo[]>;
  listProviders(subscriptionId: string, stats?: CallStats, signal?: AbortSignal): Promise<ProviderInfo[]>;
  /** Names of the subscription's resource groups. */
  listResourceGroups(subscriptionId: string, stats?: CallStats, signal?: AbortSignal): Promise<string[]>;
  /** The generic resource list (envelopes only), optionally in one resource group. */
  listResources(subscriptionId: string, resourceGroup?: string, stats?: CallStats, signal?: AbortSignal): AsyncIterable<unknown[]>;
  /** A provider's list endpoint for a top-level type: full objects. */
  listByType(
    subscriptionId: string,
    type: string,
    apiVersion: string,
    resourceGroup?: string,
    stats?: CallStats,
    signal?: AbortSignal,
  ): AsyncIterable<unknown[]>;
  getById(id: string, apiVersion: string, stats?: CallStats, signal?: AbortSignal): Promise<unknown>;
  /**
   * A child collection of one resource (`{parentId}/{childType}`, e.g. an identity's
   * `federatedIdentityCredentials`), paged: full objects. Optional: a reader without it reads no
   * child collections.
   */
  listChildren?(parentId: string, childType: string, apiVersion: string, stats?: CallStats, signal?: AbortSignal): AsyncIterable<unknown[]>;
  /**
   * The management groups and subscriptions the caller can see (`POST
   * /providers/Microsoft.Management/getEntities`), paged: raw `EntityInfo` objects. Optional: a
   * reader without it knows no management groups.
   */
  listEntities?(stats?: CallStats, signal?: AbortSignal): AsyncIterable<unknown[]>;
}

/** An ARM call that failed for good (after the retries it was worth). */
export class ArmRequestError extends Error {
  override readonly name = "ArmRequestError";
  readonly code: string;
  constructor(
    message: string,
    /** ARM's error code (`ResourceNotFound`, `TooManyRequests`, …) or a transport code. */
    readonly armCode: string,
    /** HTTP status, or 0 when no response arrived. */
    readonly status: number,
    /** Requests sent for this logical call. */
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = "TOPDECK_ARM_REQUEST";
  }
}

/** True for an ArmRequestError, also across two copies of this package. */
export function isArmRequestError(e: unknown): e is ArmRequestError {
  return hasCode(e, "TOPDECK_ARM_REQUEST");
}
