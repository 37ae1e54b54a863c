import { canonicalKey } from "../../topology/ids.js";
import type { MonitoredResource } from "../templates/resource.js";
import { type DependencyEdge, type DependencyLookup, dependencyLookupFromEdges } from "./dependency-lookup.js";

/**
 * The parts of a topology monitoring reads. A `TopologyExport` fits; so does anything with the
 * same fields (the graph module's source).
 */
export interface MonitoringTopology {
  resources: readonly MonitoredResource[];
  edges: readonly DependencyEdge[];
  /** Resources outside the scope that edges point at; monitored when their type has a template. */
  external?: readonly { key: string; id: string; type: string }[];
}

/** A topology indexed for monitoring: resources by canonical key, and the dependency lookup. */
export interface TopologyView extends DependencyLookup {
  /** The resource with this key or ARM id (any case); undefined when unknown. */
  resource(keyOrId: string): MonitoredResource | undefined;
}

const views = new WeakMap<MonitoringTopology, TopologyView>();

/**
 * The view of a topology, built once per topology object (routes call this on every request with
 * the same export). Warning: the topology must not be mutated after its first use here.
 */
export function topologyView(topology: MonitoringTopology): TopologyView {
  let view = views.get(topology);
  if (view) return view;
  const byKey = new Map<string, MonitoredResource>();
  for (const x of topology.external ?? []) byKey.set(canonicalKey(x.key), { key: x.key, id: x.id, type: x.type });
  for (const r of topology.resources) byKey.set(canonicalKey(r.key), r);
  const lookup = dependencyLookupFromEdges(topology.edges);
  view = {
    resource: (keyOrId) => byKey.get(canonicalKey(keyOrId)),
    dependenciesOf: (key, depth) => lookup.dependenciesOf(key, depth),
  };
  views.set(topology, view);
  return view;
}
