import { z } from "zod";

import { hasCode } from "../errors/has-code.js";

declare const subscriptionIdBrand: unique symbol;

/**
 * An Azure subscription id as TopDeck keeps it: a GUID, lower-cased. Made only by
 * {@link parseSubscriptionId} (or {@link subscriptionIdSchema}) at the edges where ids come in:
 * CLI flags, TOPDECK_SUBSCRIPTIONS, queue messages, ARM's subscription list.
 */
export type SubscriptionId = string & { readonly [subscriptionIdBrand]: true };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value that is not a subscription GUID. */
export class SubscriptionIdError extends TypeError {
  override readonly name = "SubscriptionIdError";
  /** Stable code, checked by {@link isSubscriptionIdError}. */
  readonly code = "TOPDECK_SUBSCRIPTION_ID";
}

/** True for a SubscriptionIdError, also one thrown by another copy of this package. */
export function isSubscriptionIdError(e: unknown): e is SubscriptionIdError {
  return hasCode(e, "TOPDECK_SUBSCRIPTION_ID");
}

/**
 * The subscription id in `raw` (surrounding spaces ignored, any case).
 * @throws SubscriptionIdError when `raw` is not a GUID.
 */
export function parseSubscriptionId(raw: string): SubscriptionId {
  const trimmed = raw.trim();
  if (!GUID.test(trimmed))
    throw new SubscriptionIdError(`Expected a subscription GUID, got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw)}`);
  return trimmed.toLowerCase() as SubscriptionId;
}

/** The zod form of {@link parseSubscriptionId}, for settings, flags and messages. */
export function subscriptionIdSchema(message = "must be a subscription GUID"): z.ZodType<SubscriptionId, string> {
  return z
    .string()
    .trim()
    .regex(GUID, message)
    .transform((s) => s.toLowerCase() as SubscriptionId);
}

/** `ids` without repeats, in first-seen order. */
export function uniqueSubscriptionIds(ids: Iterable<SubscriptionId>): SubscriptionId[] {
  return [...new Set(ids)];
}
