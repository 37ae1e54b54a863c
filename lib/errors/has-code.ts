/** True when `e` is an object whose `code` is `code`: a guard that survives two copies of a package. */
export function hasCode(e: unknown, code: string): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === code;
}
