import { generateEstate } from "../../tools/estates/generate.js";
import type { Estate } from "../../tools/estates/schema.js";

/**
 * Two subscriptions, ten resources of three types (virtual networks, their subnets, one web app):
 * small enough that a suite can run discovery hundreds of times.
 */
export function tinyEstate(): Estate {
  return generateEstate({ resources: 10, types: 3, subscriptions: 2, seed: 7 });
}
