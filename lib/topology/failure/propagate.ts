/**
 * Propagation of a failure over the model: a least fixpoint, so it terminates on cycles and its
 * answer (statuses, distances, reasons) does not depend on the order edges are visited in.
 * 1. Down: a node is down when a required dependency is down, or when every group it holds has
 *    fewer than `need` members left.
 * 2. Unknown: not down, but a required dependency is unknown, or every group it holds may have
 *    fewer than `need` members once the unknown ones are counted out.
 * 3. Degraded: neither, but a group it holds lost members (or its own zones or regions lost a share).
 *    The reason is the lowest-numbered such group it needs, else the lowest it only replicates to.
 * 4. Observability: none of these, but something it monitors or reports to is down (monitoring
 *    edges from a down node, then monitoring edges only).
 * Distances are breadth-first levels: the first level at which a node's condition holds.
 */
import { type FailureModel, GROUP, OBSERVABILITY, REQUIRED } from "./model.js";

/** Statuses, as codes. */
export const UP = 0;
export const DOWN = 1;
export const UNKNOWN = 2;
export const DEGRADED = 3;
export const IMPAIRED = 4;

/** A node's own share lost in a scenario (zones of a zone-redundant resource, regions of a multi-region one). */
export interface OwnLoss {
  label: string;
  lost: number;
  of: number;
}

/** What a scenario fails directly: the seeds of the propagation. */
export interface Seeds {
  down: readonly number[];
  unknown: readonly number[];
  degraded: ReadonlyMap<number, OwnLoss>;
}

/** The result: per node status, distance and reason; per group lost and unsure counts; the lists in answer order. */
export interface Propagation {
  status: Uint8Array;
  /** Level at which the status was reached; 0 for seeds, -1 for up nodes. */
  distance: Int32Array;
  /** The dependency through which the status came (down/unknown by path, observability); -1 for seeds and group reasons. */
  parent: Int32Array;
  /** The group that decided a down, unknown or degraded status; -1 otherwise. */
  reasonGroup: Int32Array;
  /** Members lost per group. */
  lost: Uint32Array;
  /** Members of unknown status per group. */
  unsure: Uint32Array;
  /** Nodes by status, each list by distance then node id. */
  down: number[];
  unknown: number[];
  degraded: number[];
  observability: number[];
  /** For nodes that lost telemetry: the node they lost it through, and whether that node is down (else it only lost telemetry too). */
  telemetryParent: Int32Array;
  telemetryViaDown: Uint8Array;
  ownLoss: ReadonlyMap<number, OwnLoss>;
}

/** Propagates `seeds` over `model`. O(nodes + dependencies reached + groups). */
export function propagate(model: FailureModel, seeds: Seeds): Propagation {
  const s = newState(model);
  const down = propagateDown(s, seeds.down);
  const unknown = propagateUnknown(s, seeds.unknown);
  const degraded = markDegraded(s, seeds.degraded);
  const { observability, telemetryParent, telemetryViaDown } = markLostTelemetry(s, down);
  nameLowestGroups(s, down, unknown);
  const { status, distance } = s;
  const [sortedDown, sortedUnknown, sortedDegraded, sortedObservability] = byDistance(status, distance, [
    down.length,
    unknown.length,
    degraded.length,
    observability.length,
  ]);
  return {
    status,
    distance,
    parent: s.parent,
    reasonGroup: s.reasonGroup,
    lost: s.lost,
    unsure: s.unsure,
    down: sortedDown!,
    unknown: sortedUnknown!,
    degraded: sortedDegraded!,
    observability: sortedObservability!,
    telemetryParent,
    telemetryViaDown,
    ownLoss: seeds.degraded,
  };
}

/** What a propagation fills in, step by step: per node status, distance and reason; per group lost and unsure counts. */
interface State {
  model: FailureModel;
  status: Uint8Array;
  distance: Int32Array;
  parent: Int32Array;
  reasonGroup: Int32Array;
  lost: Uint32Array;
  unsure: Uint32Array;
  /** Per node, how many of the groups it needs have broken so far. */
  held: Uint32Array;
}

function newState(model: FailureModel): State {
  const n = model.graph.nodeCount;
  const count = model.groups.count;
  return {
    model,
    status: new Uint8Array(n),
    distance: new Int32Array(n).fill(-1),
    parent: new Int32Array(n).fill(-1),
    reasonGroup: new Int32Array(n).fill(-1),
    lost: new Uint32Array(count),
    unsure: new Uint32Array(count),
    held: new Uint32Array(n),
  };
}

/** Sets v's status at level d through dependency w (or group g), keeping the order-independent choice on ties. */
function reach(s: State, v: number, code: number, d: number, w: number, g: number, queue: number[]): void {
  const { status, distance, parent, reasonGroup } = s;
  if (status[v] !== code) {
    status[v] = code;
    distance[v] = d;
    parent[v] = w;
    reasonGroup[v] = g;
    queue.push(v);
  } else if (distance[v] === d && d > 0 && w >= 0 && (parent[v]! < 0 || w < parent[v]!)) {
    // Same level: a path beats a group, and the smaller node id wins.
    parent[v] = w;
    reasonGroup[v] = -1;
  }
}

/** Down: breadth-first from the seeds over required dependencies and groups that fall below `need`. Returns the down nodes in the order reached. */
function propagateDown(s: State, seeds: readonly number[]): number[] {
  const { revStart, revNode, revKind, revGroup, groups, groupsHeld } = s.model;
  const { status, distance, lost, held } = s;
  const down: number[] = [];
  for (const v of [...new Set(seeds)].sort((a, b) => a - b)) reach(s, v, DOWN, 0, -1, -1, down);
  for (let head = 0; head < down.length; head++) {
    const w = down[head]!;
    const d = distance[w]! + 1;
    for (let i = revStart[w]!; i < revStart[w + 1]!; i++) {
      const kind = revKind[i]!;
      if (kind === OBSERVABILITY) continue;
      const v = revNode[i]!;
      if (kind === REQUIRED) {
        reach(s, v, DOWN, d, w, -1, down);
        continue;
      }
      const g = revGroup[i]!;
      lost[g] = lost[g]! + 1;
      const need = groups.need[g]!;
      if (need > 0 && groups.of[g]! - lost[g] === need - 1) {
        held[v] = held[v]! + 1;
        if (held[v] === groupsHeld[v] && status[v] !== DOWN) reach(s, v, DOWN, d, -1, g, down);
      }
    }
  }
  return down;
}

/** Unknown: the same search over nodes not down, counting members of unknown status out. Returns the unknown nodes in the order reached. */
function propagateUnknown(s: State, seeds: readonly number[]): number[] {
  const { revStart, revNode, revKind, revGroup, groups, groupsHeld } = s.model;
  const { status, distance, lost, unsure, held } = s;
  const unknown: number[] = [];
  for (const v of [...new Set(seeds)].sort((a, b) => a - b)) if (status[v] !== DOWN) reach(s, v, UNKNOWN, 0, -1, -1, unknown);
  for (let head = 0; head < unknown.length; head++) {
    const w = unknown[head]!;
    const d = distance[w]! + 1;
    for (let i = revStart[w]!; i < revStart[w + 1]!; i++) {
      const kind = revKind[i]!;
      const v = revNode[i]!;
      if (kind === OBSERVABILITY || status[v] === DOWN) continue;
      if (kind === REQUIRED) {
        reach(s, v, UNKNOWN, d, w, -1, unknown);
        continue;
      }
      const g = revGroup[i]!;
      unsure[g] = unsure[g]! + 1;
      const need = groups.need[g]!;
      const left = groups.of[g]! - lost[g]!;
      if (need > 0 && left >= need && left - unsure[g] === need - 1) {
        held[v] = held[v]! + 1;
        if (held[v] === groupsHeld[v] && status[v] !== UNKNOWN) reach(s, v, UNKNOWN, d, -1, g, unknown);
      }
    }
  }
  return unknown;
}

/** Degraded: own losses first, then holders of groups that lost members, lowest group first. Returns them in that order. */
function markDegraded(s: State, ownLoss: ReadonlyMap<number, OwnLoss>): number[] {
  const { groups } = s.model;
  const { status, distance, lost, reasonGroup } = s;
  const degraded: number[] = [];
  for (const v of [...ownLoss.keys()].sort((a, b) => a - b)) {
    if (status[v] !== UP) continue;
    status[v] = DEGRADED;
    distance[v] = 0;
    degraded.push(v);
  }
  // Groups the holder needs speak before those it only replicates to (need 0).
  for (const needed of [true, false]) {
    for (let g = 0; g < groups.count; g++) {
      const h = groups.holder[g]!;
      if (lost[g] === 0 || status[h] !== UP || groups.need[g]! > 0 !== needed) continue;
      status[h] = DEGRADED;
      distance[h] = 1;
      reasonGroup[h] = g;
      degraded.push(h);
    }
  }
  return degraded;
}

/**
 * Observability: telemetry distances over monitoring edges from every down node and from what
 * already lost telemetry (down nodes included: they can lose telemetry sooner than they fail); two
 * monotone queues merged by distance keep every distance shortest. Nodes still up become impaired.
 */
function markLostTelemetry(
  s: State,
  down: readonly number[],
): { observability: number[]; telemetryParent: Int32Array; telemetryViaDown: Uint8Array } {
  const { revStart, revNode, revKind, monitored } = s.model;
  const { status, distance } = s;
  const n = status.length;
  const observability: number[] = [];
  const telemetryDistance = new Int32Array(n).fill(-1);
  const telemetryParent = new Int32Array(n).fill(-1);
  const telemetryViaDown = new Uint8Array(n);
  const observed: number[] = [];
  let a = 0;
  let b = 0;
  while (a < down.length || b < observed.length) {
    const fromDown = b >= observed.length || (a < down.length && distance[down[a]!]! <= telemetryDistance[observed[b]!]!);
    const w = fromDown ? down[a++]! : observed[b++]!;
    if (monitored[w] === 0) continue;
    const d = (fromDown ? distance[w]! : telemetryDistance[w]!) + 1;
    for (let i = revStart[w]!; i < revStart[w + 1]!; i++) {
      if (revKind[i] !== OBSERVABILITY) continue;
      const v = revNode[i]!;
      if ((status[v] === DOWN && distance[v] === 0) || status[v] === UNKNOWN || status[v] === DEGRADED) continue;
      if (telemetryDistance[v] === -1) {
        telemetryDistance[v] = d;
        telemetryParent[v] = w;
        telemetryViaDown[v] = fromDown ? 1 : 0;
        observed.push(v);
      } else if (telemetryDistance[v] === d && (w < telemetryParent[v]! || (w === telemetryParent[v] && fromDown))) {
        telemetryParent[v] = w;
        telemetryViaDown[v] = fromDown ? 1 : 0;
      }
    }
  }
  for (const v of observed) {
    if (status[v] !== UP) continue;
    status[v] = IMPAIRED;
    distance[v] = telemetryDistance[v]!;
    observability.push(v);
  }
  return { observability, telemetryParent, telemetryViaDown };
}

/** Group-decided statuses name the lowest group that decided them, whatever order they broke in. */
function nameLowestGroups(s: State, down: readonly number[], unknown: readonly number[]): void {
  const { model, status, reasonGroup, lost, unsure } = s;
  const { groups } = model;
  for (const list of [down, unknown]) {
    for (const v of list) {
      if (reasonGroup[v]! < 0) continue;
      reasonGroup[v] = lowestGroupOf(model, v, (g) =>
        status[v] === DOWN ? groups.of[g]! - lost[g]! < groups.need[g]! : groups.of[g]! - lost[g]! - unsure[g]! < groups.need[g]!,
      );
    }
  }
}

/**
 * The nodes of each status (down, unknown, degraded, impaired), by distance then node id: a
 * counting sort over distances filled in node order, two passes over the nodes and no comparisons
 * (a hub's answer lists 100,000 nodes).
 */
function byDistance(status: Uint8Array, distance: Int32Array, sizes: readonly number[]): number[][] {
  let maxDistance = 0;
  for (let v = 0; v < status.length; v++) if (status[v] !== UP && distance[v]! > maxDistance) maxDistance = distance[v]!;
  const width = maxDistance + 1;
  const next = new Uint32Array(4 * width);
  for (let v = 0; v < status.length; v++) {
    if (status[v] === UP) continue;
    const slot = (status[v]! - 1) * width + distance[v]!;
    next[slot] = next[slot]! + 1;
  }
  for (let c = 0; c < 4; c++) {
    let at = 0;
    for (let d = 0; d < width; d++) {
      const count = next[c * width + d]!;
      next[c * width + d] = at;
      at += count;
    }
  }
  const lists = sizes.map((size) => new Array<number>(size));
  for (let v = 0; v < status.length; v++) {
    const c = status[v]!;
    if (c === UP) continue;
    const slot = (c - 1) * width + distance[v]!;
    lists[c - 1]![next[slot]!] = v;
    next[slot] = next[slot]! + 1;
  }
  return lists;
}

/** The lowest-numbered group held by `holder` that passes `test`. */
function lowestGroupOf(model: FailureModel, holder: number, test: (g: number) => boolean): number {
  const { depStart, depKind, depGroup } = model;
  let best = -1;
  for (let i = depStart[holder]!; i < depStart[holder + 1]!; i++) {
    if (depKind[i] !== GROUP) continue;
    const g = depGroup[i]!;
    if ((best < 0 || g < best) && test(g)) best = g;
  }
  return best;
}
