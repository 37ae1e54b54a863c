import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { armEnvelopeSchema, isRejected, normalizeResource } from "../../../lib/azure/normalize.js";
import { sanitisePayload } from "../../../lib/security/index.js";
import { canonicalKey, parseResourceId } from "../../../lib/topology/ids.js";

/** normalizeResource as it was written before its fast path: every payload through the schema. */
function throughSchema(raw: unknown): unknown {
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

/** The same value with its key order made visible, so a reordering fails the comparison. */
const ordered = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === "object" && !Array.isArray(x) ? Object.entries(x) : x));

const field = fc.constantFrom(
  "id",
  "name",
  "type",
  "location",
  "kind",
  "tags",
  "sku",
  "properties",
  "key",
  "subscriptionId",
  "resourceGroup",
  "etag",
  "zone",
  "__proto__",
);
const value = fc.oneof(
  fc.constantFrom(
    "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Web/sites/app",
    "/subscriptions/s1/providers/Microsoft.Web/sites",
    "/subscriptions/s1",
    "",
    "AccountKey=abc;EndpointSuffix=x",
  ),
  fc.string(),
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom("a", "b", "password", "1"), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
);

describe("normalizeResource", () => {
  it("gives what the schema gives, key order and rejections included, for envelopes of any shape", () => {
    const payload = fc.array(fc.tuple(field, value), { maxLength: 10 }).map((entries) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    });
    fc.assert(
      fc.property(payload, (raw) => {
        expect(ordered(normalizeResource(raw))).toBe(ordered(throughSchema(raw)));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps an ARM object's fields in the schema's order, extra fields after, and its own key", () => {
    const r = normalizeResource({
      properties: { a: 1 },
      zone: "1",
      type: "Microsoft.Web/sites",
      tags: { env: "prod" },
      name: "app",
      id: "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Web/sites/App/",
    });
    expect(isRejected(r)).toBe(false);
    expect(Object.keys(r)).toEqual(["id", "name", "type", "properties", "zone", "key", "subscriptionId", "resourceGroup", "tags"]);
    expect(r).toMatchObject({
      key: "/subscriptions/s1/resourcegroups/rg/providers/microsoft.web/sites/app",
      subscriptionId: "s1",
      resourceGroup: "RG",
    });
  });
});
