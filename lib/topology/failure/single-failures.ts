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
  const n = model.graph.nodeCount;
  const { revStart, revNode, revKind, revGroup, groups, groupsHeld, entryFlags, depStart, depNode } = model;
  const down = new Uint32Array(n);
  const entryPointsDown = new Uint32Array(n);

  const stamp = new Int32Array(n);
  const heldStamp = new Int32Array(n);
  const heldLocal = new Uint32Array(n);
  const lostStamp = new Int32Array(groups.count);
  const lostLocal = new Uint32Array(groups.count);
  const queue = new Uint32Array(n);
  const baseDown = new Uint8Array(n);
  const baseHeld = new Uint32Array(n);
  const baseLost = new Uint32Array(groups.count);
  let generation = 0;

  /** The closure of `seed` over `base` (when `withBase`): its size (seed included) and entry points. */
  const closure = (seed: number, withBase: boolean): { size: number; entries: number } => {
    generation++;
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
  };

  const { component, hub } = breakingComponents(model);
  const below = new Uint8Array(n);
  let base = { size: 0, entries: 0 };
  if (hub >= 0) {
    let rep = 0;
    while (component[rep] !== hub) rep++;
    base = closure(rep, false);
    for (let j = 0; j < base.size; j++) baseDown[queue[j]!] = 1;
    for (let g = 0; g < groups.count; g++) if (lostStamp[g] === generation) baseLost[g] = lostLocal[g]!;
    for (let v = 0; v < n; v++) if (heldStamp[v] === generation) baseHeld[v] = heldLocal[v]!;
    // What H depends on through breaking dependencies: their closures contain C(H).
    let tail = 0;
    for (let v = 0; v < n; v++) {
      if (component[v] !== hub) continue;
      below[v] = 1;
      queue[tail++] = v;
    }
    for (let head = 0; head < tail; head++) {
      const v = queue[head]!;
      for (let i = depStart[v]!; i < depStart[v + 1]!; i++) {
        const w = depNode[i]!;
        if (below[w] === 1 || !breaks(model, v, i)) continue;
        below[w] = 1;
        queue[tail++] = w;
      }
    }
  }

  for (let v = 0; v < n; v++) {
    if (hub >= 0 && component[v] === hub) {
      down[v] = base.size - 1;
      entryPointsDown[v] = base.entries;
      continue;
    }
    if (below[v] === 1 && baseDown[v] === 1) {
      down[v] = base.size - 1;
      entryPointsDown[v] = base.entries;
      continue;
    }
    const found = closure(v, below[v] === 1);
    const extra = below[v] === 1 ? base : { size: 0, entries: 0 };
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
