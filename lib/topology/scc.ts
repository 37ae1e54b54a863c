import { MONITORING, type TopologyGraph } from "./graph.js";

/** Strongly connected components: the component of each node and the size of each component. */
export interface Components {
  /** Component of each node. */
  component: Uint32Array;
  /** Size of each component. */
  sizes: number[];
}

/** The strongly connected components of a graph's outage edges (every relation but `monitoring`). */
export function outageComponents(graph: TopologyGraph): Components {
  const { outStart, outNode, outRelation } = graph;
  return stronglyConnected(graph.nodeCount, outStart, outNode, (_v, i) => outRelation[i] !== MONITORING);
}

/**
 * Tarjan's algorithm, iterative (no recursion limit), over adjacency arrays in CSR form: node `v`'s
 * edges are `start[v]` to `start[v + 1]`, edge `i` leads to `node[i]`, and is followed only when
 * `follows(v, i)`.
 */
export function stronglyConnected(
  n: number,
  start: ArrayLike<number>,
  node: ArrayLike<number>,
  follows: (v: number, i: number) => boolean,
): Components {
  const index = new Int32Array(n).fill(-1);
  const low = new Uint32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Uint32Array(n);
  const callNode = new Uint32Array(n);
  const callPos = new Uint32Array(n);
  const component = new Uint32Array(n);
  const sizes: number[] = [];
  let counter = 0;
  let sp = 0;
  let csp = 0;
  const enter = (v: number): void => {
    index[v] = counter;
    low[v] = counter++;
    stack[sp++] = v;
    onStack[v] = 1;
    callNode[csp] = v;
    callPos[csp++] = start[v]!;
  };
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    enter(s);
    while (csp > 0) {
      const v = callNode[csp - 1]!;
      const i = callPos[csp - 1]!;
      if (i < start[v + 1]!) {
        callPos[csp - 1] = i + 1;
        if (!follows(v, i)) continue;
        const w = node[i]!;
        if (index[w] === -1) enter(w);
        else if (onStack[w] === 1) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      csp--;
      if (low[v] === index[v]) {
        const c = sizes.length;
        let size = 0;
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          component[w] = c;
          size++;
        } while (w !== v);
        sizes.push(size);
      }
      if (csp > 0) {
        const u = callNode[csp - 1]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
    }
  }
  return { component, sizes };
}
