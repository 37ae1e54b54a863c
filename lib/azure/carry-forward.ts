import type { ExportResource } from "../topology/export-format.js";

/**
 * The previous snapshot's resources that a run may carry forward, by lower-cased type, keeping
 * only those `wanted` accepts (the run's filter). Linear: each resource is pushed once (copying
 * the type's array per resource, as it once did, blocked the event loop ~12 s at 40,000).
 */
export function carryForwardIndex(
  previous: readonly ExportResource[],
  wanted: (r: ExportResource) => boolean = () => true,
): Map<string, ExportResource[]> {
  const byType = new Map<string, ExportResource[]>();
  for (const r of previous) {
    if (!wanted(r)) continue;
    const t = r.type.toLowerCase();
    const list = byType.get(t);
    if (list === undefined) byType.set(t, [r]);
    else list.push(r);
  }
  return byType;
}
