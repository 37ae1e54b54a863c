import { sanitiseText } from "../security/index.js";
import type { RunError } from "../topology/export-format.js";
import { type ArmReader, type CallStats, isArmRequestError } from "./arm-reader.js";
import { runError } from "./type-reads.js";

/** The type a failed read of the hierarchy is recorded under in a run's errors. */
export const MANAGEMENT_GROUP_TYPE = "Microsoft.Management/managementGroups";

/** Management groups above each subscription, nearest first, by lower-cased subscription id. */
export type ManagementGroupAncestry = Record<string, string[]>;

/** What one read of the hierarchy gave: the ancestry (when known), failures, and notes. */
export interface ManagementGroupRead {
  /** Undefined when nothing is known: the hierarchy is not visible, or it failed with no previous ancestry. */
  managementGroups: ManagementGroupAncestry | undefined;
  errors: RunError[];
  /** Why there is no ancestry although nothing failed (the caller may not see the groups). */
  notes: string[];
}

/** Options of {@link readManagementGroups}. */
export interface ManagementGroupReads {
  reader: ArmReader;
  stats: CallStats;
  /** The previous export's ancestry, kept when the read fails (asked only then). @default none */
  previous?: () => ManagementGroupAncestry | undefined | Promise<ManagementGroupAncestry | undefined>;
  /** Stops the read: the run's abort, or a deadline. A stopped read is a run error, the previous ancestry kept. */
  signal?: AbortSignal | undefined;
}

const groupPrefix = "/providers/microsoft.management/managementgroups/";

/**
 * The management-group ancestry of every subscription the caller can see: one paged
 * `POST /providers/Microsoft.Management/getEntities` through the reader's resilience. A 403 (the
 * caller sees no group) is a note and no ancestry, not an error; any other failure is a run error
 * and the previous ancestry is kept (nothing known is dropped because it could not be read).
 */
export async function readManagementGroups(input: ManagementGroupReads): Promise<ManagementGroupRead> {
  const list = input.reader.listEntities?.bind(input.reader);
  if (list === undefined) return { managementGroups: undefined, errors: [], notes: [] };
  const entities: unknown[] = [];
  try {
    for await (const page of list(input.stats, input.signal)) entities.push(...page);
  } catch (error) {
    if (input.signal?.aborted) {
      // The caller's deadline (or the run's abort), not ARM's answer: said as such, never as a raw DOMException.
      const stopped: RunError = {
        subscriptionId: "*",
        type: MANAGEMENT_GROUP_TYPE,
        code: "ReadStopped",
        message: "the management-group read was stopped before it finished",
        attempts: 1,
      };
      return { managementGroups: await input.previous?.(), errors: [stopped], notes: [] };
    }
    if (isArmRequestError(error) && error.status === 403) {
      // The code comes from the answer's body: kept short and free of anything secret-looking.
      const code = sanitiseText(error.armCode.slice(0, 100));
      return {
        managementGroups: undefined,
        errors: [],
        notes: [`management groups not visible (403 ${code}): no subscription has a management-group ancestry`],
      };
    }
    return { managementGroups: await input.previous?.(), errors: [runError("*", MANAGEMENT_GROUP_TYPE, error)], notes: [] };
  }
  return { managementGroups: ancestryOf(entities), errors: [], notes: [] };
}

/**
 * Each visible subscription's groups, nearest first, from the entities' `properties.parent.id`:
 * the subscription's parent, then each group's parent while that group is itself visible. A
 * subscription absent from the entities, or with no parent, has no entry: nothing is guessed.
 */
export function ancestryOf(entities: readonly unknown[]): ManagementGroupAncestry {
  const parentOf = new Map<string, string | undefined>();
  const subscriptions: [string, string | undefined][] = [];
  for (const raw of entities) {
    const e = raw as { id?: unknown; type?: unknown; name?: unknown; properties?: { parent?: { id?: unknown } | null } } | null;
    if (typeof e?.id !== "string" || typeof e.name !== "string") continue;
    const parent = groupName(e.properties?.parent?.id);
    const type = typeof e.type === "string" ? e.type.toLowerCase() : "";
    if (type === "microsoft.management/managementgroups") parentOf.set(e.name.toLowerCase(), parent);
    else if (type === "/subscriptions" || type === "microsoft.resources/subscriptions") subscriptions.push([e.name.toLowerCase(), parent]);
  }
  const ancestry: ManagementGroupAncestry = {};
  for (const [subscriptionId, parent] of subscriptions) {
    const chain: string[] = [];
    for (let at = parent; at !== undefined && !chain.includes(at); at = parentOf.get(at)) chain.push(at);
    if (chain.length > 0) ancestry[subscriptionId] = chain;
  }
  return ancestry;
}

/** The group's name from `/providers/Microsoft.Management/managementGroups/{name}`, lower-cased. */
function groupName(id: unknown): string | undefined {
  if (typeof id !== "string") return undefined;
  const lower = id.toLowerCase();
  if (!lower.startsWith(groupPrefix)) return undefined;
  const name = lower.slice(groupPrefix.length);
  // ARM's rule for group names; anything else is not a group id (and is not kept).
  return /^[a-z0-9_().-]{1,90}$/.test(name) ? name : undefined;
}
