import { z } from "zod";

import { sanitisePayload } from "../security/index.js";
import { embeddedNodeTypes } from "../topology/edge-rules.js";
import type { ExportResource } from "../topology/export-format.js";
import { canonicalKey, keyBelow, parseResourceId } from "../topology/ids.js";

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
  const clean = sanitisePayload(raw);
  if (plainEnvelope(clean)) return resourceOf(clean);
  const parsed = armEnvelopeSchema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { reason: `invalid ARM resource: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` };
  }
  return resourceOf(parsed.data);
}

const sharedStrings = new Map<string, string>();

/**
 * One copy of a type, location, subscription or resource group for every resource that names it:
 * JSON.parse and the id's parsing give each resource its own, ~170 bytes a resource at 100,000.
 * At most 10,000 are kept, for the life of the process.
 */
function shared(s: string): string {
  const known = sharedStrings.get(s);
  if (known !== undefined) return known;
  if (sharedStrings.size < 10_000) sharedStrings.set(s, s);
  return s;
}

const envelopeFields: readonly string[] = Object.keys(armEnvelopeSchema.shape);
const envelopeFieldSet = new Set(envelopeFields);
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype && !Object.hasOwn(v, "__proto__");
const isOptionalString = (v: unknown) => v === undefined || typeof v === "string";

/**
 * True when `armEnvelopeSchema` plainly accepts the payload as it is (every ARM object, in
 * practice), so it need not run: the schema copies each object field by field, the largest cost
 * of normalising a page and as much short-lived garbage as the page itself. Anything else goes
 * to the schema, which judges it and says why.
 */
function plainEnvelope(raw: unknown): raw is z.infer<typeof armEnvelopeSchema> {
  if (!isPlain(raw)) return false;
  const { id, name, type, location, kind, tags, sku } = raw;
  if (typeof id !== "string" || id === "" || typeof name !== "string" || name === "" || typeof type !== "string" || type === "")
    return false;
  if (!isOptionalString(location) || !isOptionalString(kind)) return false;
  if (tags !== undefined && tags !== null && !(isPlain(tags) && Object.values(tags).every((v) => typeof v === "string"))) return false;
  return sku === undefined || sku === null || isPlain(sku);
}

/**
 * The export resource of an accepted envelope, built in one pass with the key order the schema's
 * output spread into it had: the envelope's fields in declaration order, then the others as they
 * came, then key, subscription, resource group, tags and sku.
 */
function resourceOf(data: z.infer<typeof armEnvelopeSchema>): ExportResource | RejectedPayload {
  const parts = parseResourceId(data.id);
  if (parts === undefined || parts.type === "") return { reason: `not a resource id: ${data.id}` };
  const src = data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of envelopeFields) if (field !== "tags" && field !== "sku" && Object.hasOwn(src, field)) out[field] = src[field];
  for (const field in src) {
    if (envelopeFieldSet.has(field)) continue;
    // A payload's own `__proto__` stays a field, as a spread keeps it, and never becomes the prototype.
    if (field === "__proto__")
      Object.defineProperty(out, field, { value: src[field], enumerable: true, writable: true, configurable: true });
    else out[field] = src[field];
  }
  for (const field of ["type", "location", "kind"] as const) if (typeof out[field] === "string") out[field] = shared(out[field]);
  out.key = canonicalKey(data.id);
  out.subscriptionId = shared(parts.subscriptionId.toLowerCase());
  if (parts.resourceGroup !== undefined) out.resourceGroup = shared(parts.resourceGroup);
  if (data.tags !== null && data.tags !== undefined) out.tags = data.tags;
  if (data.sku !== null && data.sku !== undefined) out.sku = data.sku;
  return out as unknown as ExportResource;
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
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i]);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const obj = value as Record<string, unknown>;
    // Most ids in a payload are references elsewhere: only one below the parent is parsed.
    const key = typeof obj.id === "string" ? keyBelow(obj.id, parent.key) : undefined;
    if (key !== undefined) {
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
    // for...in rather than Object.values: this walk visits every object of every payload.
    for (const field in obj) walk(obj[field]);
  };
  walk(parent.properties);
  return out;
}

/**
 * Adds to `resources`, in place, the embedded nodes of each (subnets inside their virtual
 * network) that were not read on their own; a stale parent's children are stale too.
 * @returns `resources`.
 */
export function liftEmbeddedNodes(resources: ExportResource[], allowed: (type: string) => boolean = () => true): ExportResource[] {
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
