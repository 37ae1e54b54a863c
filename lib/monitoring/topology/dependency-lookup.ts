/** A resource the path reaches, and how many dependency hops away it is (1 = a direct dependency). */
export interface Dependency {
  key: string;
  distance: number;
}

/** The one question monitoring asks of the topology: what does this depend on, to a depth? */
export interface DependencyLookup {
  /** The resources `key` depends on within `depth` hops, nearest first (then by key), `key` itself excluded. */
  dependenciesOf(key: string, depth: number): Dependency[];
}

/** An edge as the export writes it: `from` depends on `to`. */
export interface DependencyEdge {
  from: string;
  to: string;
  relation: string;
}

/** Options of {@link dependencyLookupFromEdges}. */
export interface DependencyLookupOptions {
  /** Relations that are not dependencies for an outage. @default ["monitoring"] (a diagnostics sink does not carry requests) */
  ignoreRelations?: readonly string[];
}

/**
 * A {@link DependencyLookup} over an export's edges (breadth-first, so each resource gets its
 * shortest distance). Keys are compared as given: the export's keys are canonical already.
 */
export function dependencyLookupFromEdges(edges: readonly DependencyEdge[], options: DependencyLookupOptions = {}): DependencyLookup {
  const ignored = new Set(options.ignoreRelations ?? ["monitoring"]);
  const out = new Map<string, Set<string>>();
  for (const e of edges) {
    if (ignored.has(e.relation) || e.from === e.to) continue;
    let targets = out.get(e.from);
    if (!targets) out.set(e.from, (targets = new Set()));
    targets.add(e.to);
  }
  return {
    dependenciesOf(key, depth) {
      const seen = new Set([key]);
      const found: Dependency[] = [];
      let frontier = [key];
      for (let distance = 1; distance <= depth && frontier.length > 0; distance++) {
        const next: string[] = [];
        for (const node of frontier) {
          for (const to of out.get(node) ?? []) {
            if (seen.has(to)) continue;
            seen.add(to);
            next.push(to);
          }
        }
        next.sort();
        for (const k of next) found.push({ key: k, distance });
        frontier = next;
      }
      return found;
    },
  };
}
