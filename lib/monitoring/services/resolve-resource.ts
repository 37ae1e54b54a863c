import { UnknownResourceError } from "../errors/unknown-resource-error.js";
import type { MonitoredResource } from "../templates/resource.js";
import { type TopologyView, topologyView } from "../topology/monitoring-topology.js";
import { MAX_DEPTH, type MonitoringContext } from "./context.js";

/** One resource on a dependency path: itself (distance 0) or what it depends on. */
export interface PathEntry {
  key: string;
  distance: number;
  /** Undefined for a key the edges name but the topology does not describe. */
  resource?: MonitoredResource;
}

/** The resource a request names. @throws UnknownResourceError. */
export function resolveResource(context: MonitoringContext, key: string): { view: TopologyView; resource: MonitoredResource } {
  const view = topologyView(context.topology);
  const resource = view.resource(key);
  if (!resource) throw new UnknownResourceError(key);
  return { view, resource };
}

/**
 * The resource and everything it depends on within `depth` hops (clamped to 0..MAX_DEPTH), nearest first.
 * @throws UnknownResourceError.
 */
export function dependencyPath(context: MonitoringContext, key: string, depth: number): PathEntry[] {
  const { view, resource } = resolveResource(context, key);
  const hops = Math.max(0, Math.min(MAX_DEPTH, Math.floor(depth)));
  const deps = view.dependenciesOf(resource.key, hops).map((d) => {
    const r = view.resource(d.key);
    return { key: d.key, distance: d.distance, ...(r && { resource: r }) };
  });
  return [{ key: resource.key, distance: 0, resource }, ...deps];
}
