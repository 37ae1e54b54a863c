import type { InvocationContext } from "@azure/functions";

const local = new WeakSet<InvocationContext>();

/**
 * Marks an invocation as made by `topdeck serve` on localhost, which checks no keys and no roles.
 * Only code in this process can mark one: no header or query a caller sends can.
 */
export function markLocal(context: InvocationContext): InvocationContext {
  local.add(context);
  return context;
}

/** True for an invocation `topdeck serve` made (see {@link markLocal}). */
export function isLocalInvocation(context: InvocationContext): boolean {
  return local.has(context);
}
