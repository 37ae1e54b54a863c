import { readFile } from "node:fs/promises";

import { z } from "zod";

/**
 * An ARM resource object exactly as a GET returns it. Only the envelope is checked; everything
 * else (properties, extra fields) passes through untouched.
 */
export const armResourceSchema = z.looseObject({
  id: z.string().regex(/^\/subscriptions\/[^/]+\//i, "must be an ARM id starting /subscriptions/{id}/"),
  name: z.string().min(1),
  type: z.string().regex(/^[^/]+(\/[^/]+)+$/, "must look like Namespace/type[/childType]"),
  location: z.string().optional(),
  kind: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  sku: z.looseObject({}).optional(),
  identity: z.looseObject({}).optional(),
  properties: z.unknown().optional(),
});

/** One subscription of an estate file (docs/interfaces.md section 1). */
export const estateSubscriptionSchema = z.object({
  subscriptionId: z.string().min(1),
  displayName: z.string().default(""),
  resources: z.array(armResourceSchema).default([]),
});

/**
 * One management group of an estate file (docs/interfaces.md section 1): its parent group by name
 * (none: it sits under the tenant root) and the subscriptions directly under it.
 */
export const estateManagementGroupSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_().-]{1,90}$/, "must be a management group name (letters, digits, - _ . ( ), up to 90)"),
  displayName: z.string().optional(),
  parent: z.string().optional(),
  subscriptions: z.array(z.string().min(1)).default([]),
});

/** The estate file served by the ARM emulator (docs/interfaces.md section 1). */
export const estateSchema = z
  .object({
    subscriptions: z.array(estateSubscriptionSchema).min(1),
    /** The management group hierarchy `getEntities` serves; without it the emulator serves none. */
    managementGroups: z.array(estateManagementGroupSchema).optional(),
    /** Offered api-versions per type; without an entry the emulator offers one stable version. */
    apiVersions: z.record(z.string(), z.array(z.string()).min(1)).optional(),
  })
  .superRefine((estate, ctx) => {
    const groups = estate.managementGroups ?? [];
    const names = new Set(groups.map((g) => g.name.toLowerCase()));
    groups.forEach((g, i) => {
      if (g.parent !== undefined && !names.has(g.parent.toLowerCase())) {
        ctx.addIssue({
          code: "custom",
          path: ["managementGroups", i, "parent"],
          message: `names no management group of the estate: ${g.parent}`,
        });
      }
    });
    // A cycle would have no path to the tenant root.
    const parentOf = new Map(groups.map((g) => [g.name.toLowerCase(), g.parent?.toLowerCase()]));
    groups.forEach((g, i) => {
      const seen = new Set<string>();
      for (let at: string | undefined = g.name.toLowerCase(); at !== undefined; at = parentOf.get(at)) {
        if (seen.has(at))
          return ctx.addIssue({ code: "custom", path: ["managementGroups", i, "parent"], message: "management groups form a cycle" });
        seen.add(at);
      }
    });
  });

export type ArmResource = z.infer<typeof armResourceSchema>;
export type EstateSubscription = z.infer<typeof estateSubscriptionSchema>;
export type EstateManagementGroup = z.infer<typeof estateManagementGroupSchema>;
export type Estate = z.infer<typeof estateSchema>;

/** The estate file is not valid JSON or breaks the schema; the message names the JSON path. */
export class EstateFileError extends Error {
  override readonly name = "EstateFileError";
  readonly code = "TOPDECK_ESTATE_FILE";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Validates parsed JSON as an estate. @throws EstateFileError naming the first bad path. */
export function parseEstate(json: unknown, source = "estate"): Estate {
  const parsed = estateSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") : "";
  throw new EstateFileError(`${source}: ${path ? `at ${path.replace(/^\./, "")}: ` : ""}${issue?.message ?? "invalid"}`);
}

/** Reads and validates an estate file. @throws EstateFileError for unreadable, non-JSON or invalid files. */
export async function loadEstateFile(path: string): Promise<Estate> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new EstateFileError(`cannot read estate file ${path}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new EstateFileError(`estate file ${path} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseEstate(json, path);
}
