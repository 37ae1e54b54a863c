import { ancestorKeys } from "../ids.js";

/** The key of a resource's parent (`…/servers/a/databases/b` → `…/servers/a`), if the key has one. */
export function parentKey(key: string): string | undefined {
  return ancestorKeys(key)[0];
}
