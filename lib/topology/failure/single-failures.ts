/**
 * What each resource's failure alone takes down, for every resource at once: counts only, no
 * lists. A search per resource costs the sum of all closures, which explodes on a large cycle, so
 * the largest strongly connected component H of the dependencies whose single loss breaks the
 * dependent is solved once: every member of H takes down the same closure C(H), and a resource H
 * depends on takes down C(H) plus what its own search adds, starting from C(H)'s group counters.
 */
import { stronglyConnected } from "../scc.js";
import { type FailureModel, GROUP, REQUIRED } from "./model.js";

/** Per node: resources down with it (itself excluded) and entry points down (itself included). */
export interface SingleFailureCounts {
  down: Uint32Array;
  entryPointsDown: Uint32Array;
}

/** Whether losing dependency i of its holder alone takes the holder down. */
function breaks(model: FailureModel, holder: number, i: number): boolean {
  const kind = model.depKind[i];
  if (kind === REQUIRED) return true;
  if (kind !== GROUP) return false;
  const g = model.depGroup[i]!;
  const need = model.groups.need[g]!;
  return need > 0 && model.groups.of[g]! - 1 < need && model.groupsHeld[holder] === 1;
}

/** The closure sizes of every node's single failure (discovered resources and the rest alike). */
export function singleFailureCounts(model: FailureModel): SingleFailureCounts {
  const search = newSearch(model);
  const { component, hub } = breakingComponents(model);
  const { base, below } = hub >= 0 ? solveHub(search, component, hub) : { base: NOTHING, below: new Uint8Array(model.graph.nodeCount) };
  return countsOf(search, component, hub, base, below);
}

/** What a closure takes down: its size (seed included) and the entry points in it. */
interface Reach {
  size: number;
  entries: number;
}

const NOTHING: Reach = { size: 0, entries: 0 };

/**
 * The scratch of the closure searches, shared by all of them: a search stamps what it touches
 * with its generation, so nothing is cleared between searches. The base is C(H) and the group
 * counters it leaves, which a search from below H starts from.
 */
interface Search {
  model: FailureModel;
  generation: number;
  stamp: Int32Array;
  heldStamp: Int32Array;
  heldLocal: Uint32Array;
  lostStamp: Int32Array;
  lostLocal: Uint32Array;
  /** The nodes the last search reached, in `queue[0, size)`. */
  queue: Uint32Array;
  baseDown: Uint8Array;
  baseHeld: Uint32Array;
  baseLost: Uint32Array;
}

function newSearch(model: FailureModel): Search {
  const n = model.graph.nodeCount;
  const groups = model.groups.count;
  return {
    model,
    generation: 0,
    stamp: new Int32Array(n),
    heldStamp: new Int32Array(n),
    heldLocal: new Uint32Array(n),
    lostStamp: new Int32Array(groups),
    lostLocal: new Uint32Array(groups),
    queue: new Uint32Array(n),
    baseDown: new Uint8Array(n),
    baseHeld: new Uint32Array(n),
    baseLost: new Uint32Array(groups),
  };
}

/** The closure of `seed` over the base (when `withBase`). Breadth-first over breaking dependencies, kept in one body: it runs once per node. */
function closure(s: Search, seed: number, withBase: boolean): Reach {
  const { revStart, revNode, revKind, revGroup, groups, groupsHeld, entryFlags } = s.model;
  const { stamp, heldStamp, heldLocal, lostStamp, lostLocal, queue, baseDown, baseHeld, baseLost } = s;
  const generation = ++s.generation;
  let tail = 0;
  queue[tail++] = seed;
  stamp[seed] = generation;
  for (let head = 0; head < tail; head++) {
    const w = queue[head]!;
    for (let i = revStart[w]!; i < revStart[w + 1]!; i++) {
      const kind = revKind[i]!;
      if (kind !== REQUIRED && kind !== GROUP) continue;
      const v = revNode[i]!;
      if (stamp[v] === generation || (withBase && baseDown[v] === 1)) continue;
      if (kind === GROUP) {
        const g = revGroup[i]!;
        if (lostStamp[g] !== generation) {
          lostStamp[g] = generation;
          lostLocal[g] = withBase ? baseLost[g]! : 0;
        }
        lostLocal[g] = lostLocal[g]! + 1;
        const need = groups.need[g]!;
        if (need === 0 || groups.of[g]! - lostLocal[g] !== need - 1) continue;
        if (heldStamp[v] !== generation) {
          heldStamp[v] = generation;
          heldLocal[v] = withBase ? baseHeld[v]! : 0;
        }
        heldLocal[v] = heldLocal[v]! + 1;
        if (heldLocal[v] !== groupsHeld[v]) continue;
      }
      stamp[v] = generation;
      queue[tail++] = v;
    }
  }
  let entries = 0;
  for (let j = 0; j < tail; j++) entries += entryFlags[queue[j]!]!;
  return { size: tail, entries };
}

/**
 * H solved once: C(H) from any member, kept as the base with the group counters it leaves; and
 * `below`, 1 for H and what H depends on through breaking dependencies (their closures contain C(H)).
 */
function solveHub(s: Search, component: Uint32Array, hub: number): { base: Reach; below: Uint8Array } {
  const { model, queue, baseDown, baseHeld, baseLost, lostStamp, lostLocal, heldStamp, heldLocal } = s;
  const n = model.graph.nodeCount;
  let rep = 0;
  while (component[rep] !== hub) rep++;
  const base = closure(s, rep, false);
  for (let j = 0; j < base.size; j++) baseDown[queue[j]!] = 1;
  for (let g = 0; g < model.groups.count; g++) if (lostStamp[g] === s.generation) baseLost[g] = lostLocal[g]!;
  for (let v = 0; v < n; v++) if (heldStamp[v] === s.generation) baseHeld[v] = heldLocal[v]!;
  const below = new Uint8Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    if (component[v] !== hub) continue;
    below[v] = 1;
    queue[tail++] = v;
  }
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let i = model.depStart[v]!; i < model.depStart[v + 1]!; i++) {
      const w = model.depNode[i]!;
      if (below[w] === 1 || !breaks(model, v, i)) continue;
      below[w] = 1;
      queue[tail++] = w;
    }
  }
  return { base, below };
}

/** Every node's counts: C(H) for H and what is below it in C(H), else its own closure (over the base when below H). */
function countsOf(s: Search, component: Uint32Array, hub: number, base: Reach, below: Uint8Array): SingleFailureCounts {
  const n = s.model.graph.nodeCount;
  const down = new Uint32Array(n);
  const entryPointsDown = new Uint32Array(n);
  for (let v = 0; v < n; v++) {
    if ((hub >= 0 && component[v] === hub) || (below[v] === 1 && s.baseDown[v] === 1)) {
      down[v] = base.size - 1;
      entryPointsDown[v] = base.entries;
      continue;
    }
    const found = closure(s, v, below[v] === 1);
    const extra = below[v] === 1 ? base : NOTHING;
    down[v] = found.size + extra.size - 1;
    entryPointsDown[v] = found.entries + extra.entries;
  }
  return { down, entryPointsDown };
}

/** Strongly connected components over breaking dependencies, and the largest with two or more nodes (-1 when none). */
function breakingComponents(model: FailureModel): { component: Uint32Array; hub: number } {
  const { component, sizes } = stronglyConnected(model.graph.nodeCount, model.depStart, model.depNode, (v, i) => breaks(model, v, i));
  let hub = -1;
  for (let c = 0; c < sizes.length; c++) if (sizes[c]! > 1 && (hub === -1 || sizes[c]! > sizes[hub]!)) hub = c;
  return { component, hub };
}
