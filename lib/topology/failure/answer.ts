/**
 * The answer of a scenario, as `GET /api/impact` and `POST /api/scenarios` return it: the lists
 * paged (one `limit` and offset for all), each entry with its reason, exact totals. Paths are
 * built for the entries of the page only.
 */
import type { EntryPointMatch } from "../entry-points.js";
import { relationCodes } from "../graph.js";
import type { FailureModel } from "./model.js";
import { placementKinds } from "./placement.js";
import { DOWN, IMPAIRED, propagate, type Propagation } from "./propagate.js";
import { type FailureSet, type ResolvedScenario, resolveScenario, type SeedCause, seedCause, seedsOf, type ZoneRef } from "./scenario.js";

/** Default number of entries per list. */
export const DEFAULT_FAILURE_LIMIT = 100;
/** Largest `limit` accepted. */
export const MAX_FAILURE_LIMIT = 1000;

/** A path of dependencies: `path[i]` depends on `path[i + 1]` through `relations[i]`; the last key failed. */
export interface PathReason {
  kind: "path";
  path: string[];
  relations: string[];
}

/** A group that lost members: `lost` of `of`, needing `need` to keep working. */
export interface GroupReason {
  kind: "group";
  group: string;
  lost: number;
  of: number;
  need: number;
}

/** Why a resource is down, unknown, degraded or impaired. */
export type FailureReason =
  { kind: "failed"; cause: SeedCause } | { kind: "placement"; detail: string; rule: string } | PathReason | GroupReason;

/** One resource of an answer list. */
export interface FailureEntry {
  key: string;
  type: string;
  name: string;
  /** Breadth-first level at which the status was reached (0 for what the scenario failed directly). */
  distance: number;
  reason: FailureReason;
  entryPoint?: EntryPointMatch;
}

/** The answer to "what breaks if this goes down?" for one scenario. */
export interface FailureAnswer {
  scenario: { ids: string[]; zones: ZoneRef[]; regions: string[] };
  down: FailureEntry[];
  degraded: FailureEntry[];
  observability: FailureEntry[];
  unknown: FailureEntry[];
  entryPoints: { down: FailureEntry[]; degraded: FailureEntry[] };
  totals: { down: number; degraded: number; observability: number; unknown: number; entryPointsDown: number; entryPointsDegraded: number };
  /** True when some list has entries beyond this page. */
  truncated: boolean;
  /** Cursor of the next page, when `truncated`. */
  nextCursor?: string;
}

/** Paging of an answer. */
export interface FailurePage {
  /** @default DEFAULT_FAILURE_LIMIT */
  limit?: number;
  /** Entries skipped in every list. @default 0 */
  offset?: number;
}

/** The cursor of a page that starts `offset` entries into every list. */
export const encodeOffsetCursor = (offset: number): string => Buffer.from(JSON.stringify({ o: offset }), "utf8").toString("base64url");

/** The offset of a cursor, or undefined when it is not one this API returned. */
export function decodeOffsetCursor(cursor: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const o = (parsed as { o?: unknown } | null)?.o;
    return typeof o === "number" && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Propagates a failure set (resources already resolved to node ids) and pages the answer. */
export function scenarioAnswer(model: FailureModel, ids: readonly number[], set: FailureSet, page: FailurePage = {}): FailureAnswer {
  const scenario = resolveScenario(ids, set);
  const result = propagate(model, seedsOf(model, scenario));
  return answerOf(model, scenario, result, page);
}

/** The paged answer of a propagation. */
export function answerOf(model: FailureModel, scenario: ResolvedScenario, result: Propagation, page: FailurePage = {}): FailureAnswer {
  const limit = page.limit ?? DEFAULT_FAILURE_LIMIT;
  const offset = page.offset ?? 0;
  const { graph, entryFlags } = model;
  const entriesDown = result.down.filter((v) => entryFlags[v] === 1);
  const entriesDegraded = result.degraded.filter((v) => entryFlags[v] === 1);
  const lists = [result.down, result.degraded, result.observability, result.unknown, entriesDown, entriesDegraded];
  const slice = (list: number[]): FailureEntry[] => list.slice(offset, offset + limit).map((v) => describe(model, scenario, result, v));
  const truncated = lists.some((l) => l.length > offset + limit);
  return {
    scenario: { ids: scenario.ids.map((v) => graph.keys[v]!), zones: scenario.zones, regions: scenario.regions },
    down: slice(result.down),
    degraded: slice(result.degraded),
    observability: slice(result.observability),
    unknown: slice(result.unknown),
    entryPoints: { down: slice(entriesDown), degraded: slice(entriesDegraded) },
    totals: {
      down: result.down.length,
      degraded: result.degraded.length,
      observability: result.observability.length,
      unknown: result.unknown.length,
      entryPointsDown: entriesDown.length,
      entryPointsDegraded: entriesDegraded.length,
    },
    truncated,
    ...(truncated ? { nextCursor: encodeOffsetCursor(offset + limit) } : {}),
  };
}

/** The relation name of the dependency v → w, or `stands for` when a reverse rule added it. */
function relationOf(model: FailureModel, v: number, w: number): string {
  for (let i = model.depStart[v]!; i < model.depStart[v + 1]!; i++) {
    if (model.depNode[i] !== w) continue;
    const code = model.depRelation[i]!;
    return code === 255 ? "stands-for" : relationCodes[code]!;
  }
  return "reference";
}

function describe(model: FailureModel, scenario: ResolvedScenario, result: Propagation, v: number): FailureEntry {
  const { graph, groups, placements } = model;
  let reason: FailureReason;
  const g = result.reasonGroup[v]!;
  const own = result.ownLoss.get(v);
  if (result.status[v] === 3 && own !== undefined && g < 0) {
    reason = { kind: "group", group: own.label, lost: own.lost, of: own.of, need: 1 };
  } else if (g >= 0) {
    reason = { kind: "group", group: groups.labels[g]!, lost: result.lost[g]!, of: groups.of[g]!, need: groups.need[g]! };
  } else if (result.parent[v]! >= 0 || result.status[v] === IMPAIRED) {
    const path = [graph.keys[v]!];
    const relations: string[] = [];
    let at = v;
    let telemetry = result.status[v] === IMPAIRED;
    // Parents only ever point to a lower level, so the walk ends.
    while (telemetry || result.parent[at]! >= 0) {
      let next: number;
      if (telemetry) {
        next = result.telemetryParent[at]!;
        relations.push("monitoring");
        telemetry = result.telemetryViaDown[at] === 0;
      } else {
        next = result.parent[at]!;
        relations.push(relationOf(model, at, next));
      }
      path.push(graph.keys[next]!);
      at = next;
    }
    reason = { kind: "path", path, relations };
  } else if (result.status[v] === DOWN || placements.detail.get(v) === undefined) {
    reason = { kind: "failed", cause: seedCause(model, scenario, v) };
  } else {
    const rule = placements.rule[v]!;
    reason = {
      kind: "placement",
      detail: placements.detail.get(v)!,
      rule: rule >= 0 ? placements.rules[rule]!.name : `placement ${placementKinds[placements.kind[v]!]}`,
    };
  }
  const entryPoint = model.entryFlags[v] === 1 ? model.entryPoints.of(v) : undefined;
  return {
    key: graph.keys[v]!,
    type: graph.typeOf(v),
    name: graph.nameOf(v),
    distance: Math.max(0, result.distance[v]!),
    reason,
    ...(entryPoint === undefined ? {} : { entryPoint }),
  };
}
