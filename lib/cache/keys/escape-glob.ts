/**
 * Escapes a literal for a Redis glob (SCAN MATCH): `*`, `?`, `[`, `]` and `\` get a backslash, so
 * the result matches only the literal itself. `^` and `-` are special only inside brackets, which
 * can no longer open.
 */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}
