/** Finding the sample estate's resources by type and name. */
import type { TopologyExport } from "../../../lib/topology/export-format.js";

/** The key of the one resource of `type` named `name` (optionally within a resource group). */
export function keyOf(exp: TopologyExport, type: string, name: string, resourceGroup?: string): string {
  const found = exp.resources.filter(
    (r) =>
      r.type.toLowerCase() === type.toLowerCase() &&
      r.name === name &&
      (resourceGroup === undefined || r.resourceGroup?.toLowerCase() === resourceGroup.toLowerCase()),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0]!.key;
}

/** "name" or "group/name" of a key, short enough to read in an assertion. */
export const short = (key: string): string => key.split("/").at(-1)!;
