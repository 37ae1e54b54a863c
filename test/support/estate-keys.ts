import type { Estate } from "../../tools/estates/schema.js";

/**
 * The canonical keys a complete discovery of `estate` must find: every resource, plus the subnets
 * that only appear inside their virtual network's properties (subnets are nodes).
 */
export function expectedKeys(estate: Estate): Set<string> {
  const keys = new Set<string>();
  for (const sub of estate.subscriptions) {
    for (const r of sub.resources) {
      keys.add(r.id.toLowerCase().replace(/\/+$/, ""));
      if (r.type.toLowerCase() !== "microsoft.network/virtualnetworks") continue;
      const subnets = (r.properties as { subnets?: Array<{ id?: string }> } | undefined)?.subnets ?? [];
      for (const s of subnets) if (typeof s.id === "string") keys.add(s.id.toLowerCase().replace(/\/+$/, ""));
    }
  }
  return keys;
}
