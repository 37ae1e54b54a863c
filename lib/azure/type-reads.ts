import pLimit from "p-limit";

import { isBrokenCircuitError } from "../resilience/index.js";
import { sanitisePayload, sanitiseText } from "../security/index.js";
import type { ExportResource, RunError } from "../topology/export-format.js";
import type { ReferenceScans } from "../topology/reference-scan.js";
import { type ArmReader, type CallStats, isArmRequestError } from "./arm-reader.js";
import { isRejected, normalizeResource } from "./normalize.js";

/** How a type's full objects were read. */
export type TypeMethod = "list" | "get" | "envelope";

/** What a provider list endpoint gave for one type. */
export interface Listing {
  /** Every object the list gave, also when it failed part-way: the pages read are kept. */
  found: Map<string, ExportResource>;
  /** The list failed for good (not merely unsupported), after `found`. */
  error?: unknown;
  /** The type has no usable list endpoint: read by id. */
  unsupported: boolean;
}

/** Reads a top-level type's provider list, page by page, in each group asked for (or the subscription). */
export async function listType(input: {
  reader: ArmReader;
  subscriptionId: string;
  type: string;
  apiVersion: string;
  resourceGroups: readonly string[] | undefined;
  inGroup: (group: string | undefined) => boolean;
  stats: CallStats;
  signal: AbortSignal;
  /** Where each resource's references are scanned as its page arrives (edge inference resolves them at the end). */
  scans?: ReferenceScans | undefined;
}): Promise<Listing> {
  const found = new Map<string, ExportResource>();
  try {
    const groups = input.resourceGroups?.length ? input.resourceGroups : [undefined];
    for (const group of groups) {
      const pages = input.reader.listByType(input.subscriptionId, input.type, input.apiVersion, group, input.stats, input.signal);
      for await (const page of pages) {
        for (const raw of page) {
          const r = normalizeResource(raw);
          if (isRejected(r) || !input.inGroup(r.resourceGroup)) continue;
          input.scans?.scan(r);
          found.set(r.key, r);
        }
      }
    }
    return { found, unsupported: false };
  } catch (error) {
    return listUnsupported(error) ? { found, unsupported: true } : { found, error, unsupported: false };
  }
}

/**
 * After a list failed part-way, at most this many of the resources it did not give are read by id
 * (ARM's burst); past it they are carried forward, so a page cap at 100,000 resources does not
 * turn into 100,000 GETs.
 */
export const MAX_FALLBACK_GETS = 250;

/** What completing one type needs. */
export interface CompleteTypeInput {
  reader: ArmReader;
  subscriptionId: string;
  type: string;
  apiVersion: string | undefined;
  /** Generic envelopes of the type's resources, by canonical key. */
  envelopes: Map<string, Record<string, unknown>>;
  previous: readonly ExportResource[];
  stats: CallStats;
  concurrency: number;
  signal: AbortSignal;
  /** Where each resource read by id has its references scanned as it arrives. */
  scans?: ReferenceScans | undefined;
}

/** One type's resources, the errors met reading them, and how they were read. */
export interface TypeOutcome {
  resources: ExportResource[];
  errors: RunError[];
  method: TypeMethod;
}

/**
 * One type's full objects: what its list gave, then a GET by id for each resource the generic
 * list named and the list did not give (all of a child type's, a list's stragglers, and the rest
 * of a list that failed part-way, unless it failed for throttling or an open breaker). What still
 * cannot be read falls back to its previous version, else its envelope, marked stale.
 * Warning: completes `listing.found` in place (the caller has no further use for the listing).
 */
export async function completeType(input: CompleteTypeInput, listing: Listing | undefined): Promise<TypeOutcome> {
  const { reader, subscriptionId, type, apiVersion, envelopes, stats, signal } = input;
  // The listing's own map, completed in place: a copy of it was one more entry per resource at
  // the end of every type. Warning: `listing.found` is this type's result afterwards.
  const found = listing?.found ?? new Map<string, ExportResource>();
  const errors: RunError[] = [];
  const previousByKey = new Map(input.previous.map((r) => [r.key, r]));

  // The last good data we have for a resource we could not read now.
  const fallBack = (key: string): void => {
    const prev = previousByKey.get(key);
    if (prev !== undefined) {
      // A snapshot committed before payloads were sanitised may still hold secrets.
      found.set(key, sanitisePayload({ ...prev, stale: true }));
      return;
    }
    const env = normalizeResource(envelopes.get(key));
    if (!isRejected(env)) found.set(key, { ...env, stale: true });
  };
  const missing = [...envelopes.keys()].filter((k) => !found.has(k));
  const finish = (method: TypeMethod): TypeOutcome => ({ resources: [...found.values()], errors, method });

  if (apiVersion === undefined) {
    errors.push({
      subscriptionId,
      type,
      code: "NoApiVersion",
      message: `the providers API offers no api-version for ${type}; kept the generic envelope`,
      attempts: 0,
    });
    for (const key of missing) fallBack(key);
    return finish("envelope");
  }
  const listError = listing?.error;
  const method: TypeMethod = listing === undefined || listing.unsupported ? "get" : "list";
  if (listError !== undefined) {
    errors.push(runError(subscriptionId, type, listError));
    if (!worthReadingById(listError) || missing.length > MAX_FALLBACK_GETS) {
      for (const key of missing) fallBack(key);
      return finish(method);
    }
  }

  // GET what the list did not give. After a failed list, the first GET that fails too ends the
  // GETs: the provider is failing, and the rest falls back without a request.
  const limit = pLimit(input.concurrency);
  const failures: unknown[] = [];
  let givenUp = false;
  await Promise.all(
    missing.map((key) =>
      limit(async () => {
        if (givenUp || signal.aborted) return fallBack(key);
        const id = String(envelopes.get(key)!.id);
        try {
          const r = normalizeResource(await reader.getById(id, apiVersion, stats, signal));
          if (!isRejected(r)) {
            input.scans?.scan(r);
            found.set(key, r);
            return;
          }
          failures.push(new Error(`${id}: ${r.reason}`));
        } catch (error) {
          // Deleted between the generic list and the GET: gone, not an error.
          if (isArmRequestError(error) && error.status === 404) return;
          failures.push(error);
          if (listError !== undefined) givenUp = true;
        }
        fallBack(key);
      }),
    ),
  );
  // After a failed list its error says it all; otherwise the GETs' failures are the type's error.
  if (failures.length > 0 && listError === undefined) {
    const first = runError(subscriptionId, type, failures[0]);
    errors.push({ ...first, message: `${failures.length} of ${missing.length} GETs failed; first: ${first.message}` });
  }
  return finish(method);
}

/** Throttled or refused by a breaker: more requests now would only be refused too. */
function worthReadingById(error: unknown): boolean {
  if (isBrokenCircuitError(error) || isBrokenCircuitError((error as { cause?: unknown } | undefined)?.cause)) return false;
  return !(isArmRequestError(error) && error.status === 429);
}

/** A list endpoint the type does not support answers 400/404/405: read by id instead. */
function listUnsupported(error: unknown): boolean {
  return isArmRequestError(error) && [400, 404, 405].includes(error.status);
}

/** A run error from what a read threw; an ARM error message can quote the payload it refused, so it is sanitised like one. */
export function runError(subscriptionId: string, type: string, error: unknown): RunError {
  if (isArmRequestError(error)) {
    return { subscriptionId, type, code: error.armCode, message: sanitiseText(error.message), attempts: error.attempts };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { subscriptionId, type, code: (e as { code?: string }).code ?? e.name, message: sanitiseText(e.message), attempts: 1 };
}
