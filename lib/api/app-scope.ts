import { getConfig } from "../config/index.js";
import { scopeKey } from "../runs/scope.js";

/** The snapshot scope the app answers for: the one discovery commits `TOPDECK_SUBSCRIPTIONS` under. */
export function appScope(): string {
  return scopeKey(getConfig().TOPDECK_SUBSCRIPTIONS);
}
