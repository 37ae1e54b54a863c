/** The RE2 metacharacters, as Go's `regexp.QuoteMeta` escapes them. */
const META = /[\\.+*?()|[\]{}^$]/g;

/**
 * `value` as an RE2 pattern that matches exactly `value` (Go's `regexp.QuoteMeta`): for `=~` and
 * `!~` label matchers in PromQL and LogQL and for LogQL's `|~` line filter. The result is a pattern,
 * not a literal: quote it with {@link quotePromqlString} (or `quoteLogqlString`) as well.
 *
 * Label matchers are anchored by the server (`^(?:…)$`); line filters are not, so there the escaped
 * value matches as a substring.
 */
export function escapeRegexLiteral(value: string): string {
  return value.replace(META, "\\$&");
}
