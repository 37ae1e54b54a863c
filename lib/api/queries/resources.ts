import { z } from "zod";

import type { ExportResource } from "../../topology/index.js";
import { validationProblem } from "../problem.js";
import { intParam, oneOrMany, type QueryContext, type SnapshotInfo, snapshotInfo, text } from "./common.js";

/** Query parameters of `GET /resources`. */
export const resourcesParams = z.strictObject({
  type: text(300).optional(),
  resourceGroup: text(300).optional(),
  subscriptionId: text(100).optional(),
  location: text(100).optional(),
  tag: oneOrMany
    .pipe(
      z.array(
        z
          .string()
          .max(1024)
          .regex(/^[^:]+:/, "must be key:value"),
      ),
    )
    .optional(),
  q: text(512).optional(),
  cursor: text(4096).optional(),
  limit: intParam(1, 1000).optional(),
});

/** Parsed parameters of `GET /resources`. */
export type ResourcesParams = z.output<typeof resourcesParams>;

/** One resource in a list: its identity and placement, without the payload. */
export interface ResourceSummary {
  key: string;
  id: string;
  type: string;
  name: string;
  subscriptionId: string;
  resourceGroup?: string;
  location?: string;
  kind?: string;
  tags?: Record<string, string>;
}

/** A page of resources; `next` is the cursor of the following page. */
export interface ResourcePage {
  items: ResourceSummary[];
  next?: string;
  snapshot: SnapshotInfo;
}

/** Opaque cursor: the last key returned, base64url-encoded. */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { k?: unknown }).k === "string")
      return (parsed as { k: string }).k;
  } catch {
    // falls through to the problem
  }
  throw validationProblem("query.cursor", "query.cursor: not a cursor this API returned");
}

function summary(r: ExportResource): ResourceSummary {
  return {
    key: r.key,
    id: r.id,
    type: r.type,
    name: r.name,
    subscriptionId: r.subscriptionId,
    ...(r.resourceGroup !== undefined ? { resourceGroup: r.resourceGroup } : {}),
    ...(r.location !== undefined ? { location: r.location } : {}),
    ...(r.kind !== undefined ? { kind: r.kind } : {}),
    ...(r.tags !== undefined ? { tags: r.tags } : {}),
  };
}

/**
 * Whether every term (lower-cased) is a substring of the resource's name, id (so its type, group
 * and subscription), or one of its tags written `key:value` (so `env:prod`, `env` and `prod` all
 * find a resource tagged env=prod).
 */
export function matchesTerms(r: ExportResource, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const tags = Object.entries(r.tags ?? {}).map(([k, v]) => `${k}:${v}`.toLowerCase());
  const name = r.name.toLowerCase();
  const id = r.id.toLowerCase();
  return terms.every((t) => name.includes(t) || id.includes(t) || tags.some((tag) => tag.includes(t)));
}

/** First index whose key is greater than `key` in a key-ordered list. */
function after(list: readonly ExportResource[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.key <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Resources of the current snapshot that pass every filter, in key order, one page at a time.
 * Type, group, subscription, location and tag names compare in any casing; tag values exactly;
 * `q`'s words, in any casing, must each be found in the name, the id or a `key:value` tag
 * (matchesTerms). Bounded: one pass over the snapshot's key-ordered list, at most `limit` items.
 */
export async function listResources(ctx: QueryContext, params: ResourcesParams): Promise<ResourcePage> {
  const lastKey = params.cursor === undefined ? undefined : decodeCursor(params.cursor);
  const snapshot = await ctx.source.current();
  const lower = (s: string | undefined): string | undefined => s?.toLowerCase();
  const type = lower(params.type);
  const group = lower(params.resourceGroup);
  const sub = lower(params.subscriptionId);
  const location = lower(params.location);
  const terms = (lower(params.q) ?? "").split(/\s+/).filter(Boolean);
  const tags = (params.tag ?? []).map((t) => {
    const at = t.indexOf(":");
    return { name: t.slice(0, at).toLowerCase(), value: t.slice(at + 1) };
  });
  const limit = params.limit ?? 100;
  const list = snapshot.byKey;
  const items: ResourceSummary[] = [];
  let next: string | undefined;
  for (let i = lastKey === undefined ? 0 : after(list, lastKey); i < list.length; i++) {
    const r = list[i]!;
    if (type !== undefined && r.type.toLowerCase() !== type) continue;
    if (group !== undefined && r.resourceGroup?.toLowerCase() !== group) continue;
    if (sub !== undefined && r.subscriptionId.toLowerCase() !== sub) continue;
    if (location !== undefined && r.location?.toLowerCase() !== location) continue;
    if (!matchesTerms(r, terms)) continue;
    if (tags.length > 0) {
      const own = Object.entries(r.tags ?? {});
      if (!tags.every((t) => own.some(([k, v]) => k.toLowerCase() === t.name && v === t.value))) continue;
    }
    if (items.length === limit) {
      next = encodeCursor(items.at(-1)!.key);
      break;
    }
    items.push(summary(r));
  }
  return { items, ...(next !== undefined ? { next } : {}), snapshot: snapshotInfo(snapshot) };
}
