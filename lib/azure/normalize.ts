import { z } from "zod";

import { sanitisePayload } from "../security/index.js";
import { embeddedNodeTypes } from "../topology/edge-rules.js";
import type { ExportResource } from "../topology/export-format.js";
import { canonicalKey, parseResourceId } from "../topology/ids.js";

/** The ARM envelope every resource has; anything else is kept as it came. */
export const armEnvelopeSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  location: z.string().optional(),
  kind: z.string().optional(),
  tags: z.record(z.string(), z.string()).nullish(),
  sku: z.record(z.string(), z.unknown()).nullish(),
  properties: z.unknown().optional(),
});

/** Why a payload could not be normalized. */
export interface RejectedPayload {
  reason: string;
}

/**
 * Normalizes one ARM object into an export resource: canonical key, subscription and resource
 * group from its id; unknown fields kept, with every secret in them replaced by a marker
 * (lib/security: nothing stored, cached, exported or served holds one). Returns a reason instead
 * when the envelope is broken.
 */
export function normalizeResource(raw: unknown): ExportResource | RejectedPayload {
  const parsed = armEnvelopeSchema.safeParse(sanitisePayload(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { reason: `invalid ARM resource: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` };
  }
  const parts = parseResourceId(parsed.data.id);
  if (parts === undefined || parts.type === "") return { reason: `not a resource id: ${parsed.data.id}` };
  const { tags, sku, ...rest } = parsed.data;
  return {
    ...rest,
    key: canonicalKey(parsed.data.id),
    subscriptionId: parts.subscriptionId.toLowerCase(),
    ...(parts.resourceGroup === undefined ? {} : { resourceGroup: parts.resourceGroup }),
    ...(tags === null || tags === undefined ? {} : { tags }),
    ...(sku === null || sku === undefined ? {} : { sku }),
  };
}

/** True when normalizeResource rejected the payload. */
export function isRejected(r: ExportResource | RejectedPayload): r is RejectedPayload {
  return "reason" in r && !("key" in r);
}

/**
 * Child resources that are nodes but arrive only embedded in their parent (subnets inside a
 * virtual network's properties): lifted out as resources of their own.
 */
export function embeddedNodes(parent: ExportResource): ExportResource[] {
  const out: ExportResource[] = [];
  const prefix = `${parent.key}/`;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    const obj = value as Record<string, unknown>;
    const key = typeof obj.id === "string" ? canonicalKey(obj.id) : undefined;
    // Most ids in a payload are references elsewhere: only one below the parent is parsed.
    if (key?.startsWith(prefix) === true) {
      const id = obj.id as string;
      const parts = parseResourceId(id);
      const type = typeof obj.type === "string" ? obj.type : (parts?.type ?? "");
      if (embeddedNodeTypes.has(type.toLowerCase()) && parts !== undefined) {
        out.push({
          ...obj,
          id,
          name: typeof obj.name === "string" ? obj.name : parts.name,
          type,
          key,
          subscriptionId: parent.subscriptionId,
          ...(parent.resourceGroup === undefined ? {} : { resourceGroup: parent.resourceGroup }),
        });
        return;
      }
    }
    Object.values(obj).forEach(walk);
  };
  walk(parent.properties);
  return out;
}

/**
 * Adds to `resources`, in place, the embedded nodes of each (subnets inside their virtual
 * network) that were not read on their own; a stale parent's children are stale too.
 * @returns `resources`.
 */
export function liftEmbeddedNodes(
  resources: ExportResource[],
  allowed: (type: string) => boolean = () => true,
): ExportResource[] {
  const seen = new Set(resources.map((r) => r.key));
  for (const parent of [...resources]) {
    for (const child of embeddedNodes(parent)) {
      if (seen.has(child.key) || !allowed(child.type)) continue;
      seen.add(child.key);
      resources.push(parent.stale ? { ...child, stale: true } : child);
    }
  }
  return resources;
}
