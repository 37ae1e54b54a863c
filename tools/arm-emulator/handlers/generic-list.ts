import type { ArmResource } from "../../estates/schema.js";
import { armErrors, type ArmResponse } from "../arm-errors.js";
import type { IndexedSubscription } from "../estate-index.js";
import { page } from "../paging.js";
import type { HandlerContext } from "./context.js";

/** The fields of the generic envelope; provider properties are never listed here. */
const envelopeFields = new Set(["id", "name", "type", "location", "kind", "sku", "tags", "identity", "managedBy", "plan"]);

const typeClause = /^\s*resourceType\s+eq\s+'([^']*)'\s*$/i;

/** Parses `resourceType eq 'X' [or resourceType eq 'Y' ...]` into lower-cased types. */
export function parseTypeFilter(filter: string): Set<string> | undefined {
  const types = new Set<string>();
  for (const clause of filter.split(/\s+or\s+/i)) {
    const type = typeClause.exec(clause)?.[1];
    if (type === undefined) return undefined;
    types.add(type.toLowerCase());
  }
  return types;
}

/** The generic envelope of a resource, plus the `$expand` fields ARM can add. */
export function envelope(resource: ArmResource, expand: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) if (envelopeFields.has(k)) out[k] = v;
  const systemData = (resource.systemData ?? {}) as Record<string, unknown>;
  if (expand.has("createdtime") && systemData.createdAt !== undefined) out.createdTime = systemData.createdAt;
  if (expand.has("changedtime") && systemData.lastModifiedAt !== undefined) out.changedTime = systemData.lastModifiedAt;
  const state = (resource.properties as { provisioningState?: unknown } | undefined)?.provisioningState;
  if (expand.has("provisioningstate") && state !== undefined) out.provisioningState = state;
  return out;
}

/**
 * `GET /subscriptions/{id}[/resourcegroups/{g}]/resources`: tracked resources, generic envelope
 * only, with `$filter=resourceType eq '...'`, `$expand`, and `$top` as the page size when smaller.
 */
export function listGenericResources(
  ctx: HandlerContext,
  subscription: IndexedSubscription,
  resourceGroup: string | undefined,
): ArmResponse {
  const query = ctx.url.searchParams;
  let items = subscription.listed;
  if (resourceGroup !== undefined) {
    const key = `/subscriptions/${subscription.subscription.subscriptionId}/resourcegroups/${resourceGroup}`.toLowerCase();
    if (!ctx.index.resourceGroups.has(key)) return armErrors.resourceGroupNotFound(resourceGroup);
    items = items.filter((r) => r.resourceGroupKey === key);
  }
  const filter = query.get("$filter");
  if (filter !== null && filter.trim() !== "") {
    const types = parseTypeFilter(filter);
    if (!types) return armErrors.invalidFilter(filter);
    items = items.filter((r) => types.has(r.body.type.toLowerCase()));
  }
  let pageSize = ctx.pageSize;
  const top = query.get("$top");
  if (top !== null) {
    if (!/^\d+$/.test(top) || Number(top) < 1) return armErrors.invalidQueryValue("$top", top);
    pageSize = Math.min(pageSize, Number(top));
  }
  const expand = new Set((query.get("$expand") ?? "").split(",").map((s) => s.trim().toLowerCase()));
  return page(items, { url: ctx.url, pageSize }, (r) => envelope(r.body, expand));
}
