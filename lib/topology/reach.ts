import { MONITORING, type TopologyGraph } from "./graph.js";
import { outageComponents } from "./scc.js";

/** Full blast-radius sizes of every node at once. */
export interface ReachCounts {
  /** How many other nodes fail when node v fails (transitive dependents over outage edges). */
  blastRadius: Uint32Array;
  /** How many of those are entry points. */
  entryPointsReached: Uint32Array;
}

/**
 * The size of every node's full blast radius (what `impactOf` lists with no depth limit), and the
 * entry points in it, for all nodes in one pass.
 *
 * A breadth-first search per node costs the sum of all blast radii, which explodes when a large
 * cycle exists (everything in it reaches everything). So the largest strongly connected component
 * H is solved once: its ancestors A(H) are counted a single time; a node inside H has A(H) minus
 * itself; a node that H depends on (reachable from H) has all of A(H) plus what its own search
 * finds outside A(H), and that search never enters A(H). Other nodes get a plain search. The result
 * is exact.
 */
export function reachCounts(graph: TopologyGraph, entryFlags: Uint8Array): ReachCounts {
  const n = graph.nodeCount;
  const { inStart, inNode, inRelation, outStart, outNode, outRelation } = graph;
  const blastRadius = new Uint32Array(n);
  const entryPointsReached = new Uint32Array(n);
  const { component, sizes } = outageComponents(graph);
  let hub = -1;
  sizes.forEach((size, c) => {
    if (size >= 2 && (hub < 0 || size > sizes[hub]!)) hub = c;
  });

  const queue = new Uint32Array(n);
  // Ancestors of the hub (hub included) and the nodes the hub reaches.
  const inAncestors = new Uint8Array(n);
  const inDescendants = new Uint8Array(n);
  let ancestorCount = 0;
  let ancestorEntries = 0;
  if (hub >= 0) {
    const sweep = (mark: Uint8Array, start: Uint32Array, node: Uint32Array, rel: Uint8Array): number => {
      let tail = 0;
      for (let v = 0; v < n; v++) {
        if (component[v] !== hub) continue;
        mark[v] = 1;
        queue[tail++] = v;
      }
      for (let head = 0; head < tail; head++) {
        const v = queue[head]!;
        for (let i = start[v]!; i < start[v + 1]!; i++) {
          const u = node[i]!;
          if (rel[i] === MONITORING || mark[u] === 1) continue;
          mark[u] = 1;
          queue[tail++] = u;
        }
      }
      return tail;
    };
    ancestorCount = sweep(inAncestors, inStart, inNode, inRelation);
    for (let v = 0; v < n; v++) if (inAncestors[v] === 1) ancestorEntries += entryFlags[v]!;
    sweep(inDescendants, outStart, outNode, outRelation);
  }

  const stamp = new Uint32Array(n);
  let generation = 0;
  for (let v = 0; v < n; v++) {
    if (hub >= 0 && component[v] === hub) {
      blastRadius[v] = ancestorCount - 1;
      entryPointsReached[v] = ancestorEntries - entryFlags[v]!;
      continue;
    }
    const belowHub = hub >= 0 && inDescendants[v] === 1;
    generation++;
    stamp[v] = generation;
    let tail = 0;
    let count = 0;
    let entries = 0;
    queue[tail++] = v;
    for (let head = 0; head < tail; head++) {
      const x = queue[head]!;
      for (let i = inStart[x]!; i < inStart[x + 1]!; i++) {
        const u = inNode[i]!;
        if (inRelation[i] === MONITORING || stamp[u] === generation) continue;
        stamp[u] = generation;
        // Below the hub, A(H) is counted whole; its members' ancestors are all in A(H) too.
        if (belowHub && inAncestors[u] === 1) continue;
        count++;
        entries += entryFlags[u]!;
        queue[tail++] = u;
      }
    }
    blastRadius[v] = belowHub ? ancestorCount + count : count;
    entryPointsReached[v] = belowHub ? ancestorEntries + entries : entries;
  }
  return { blastRadius, entryPointsReached };
}
