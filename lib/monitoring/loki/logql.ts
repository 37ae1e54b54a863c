import { quotePromqlString } from "../prometheus/promql-string.js";
import { escapeRegexLiteral } from "../prometheus/regex-literal.js";

/**
 * `value` as a double-quoted LogQL string literal. LogQL strings follow Go's rules, exactly as
 * PromQL's do, so this is {@link quotePromqlString} under the name a LogQL caller looks for.
 * Warning: throws RangeError for a string with lone surrogates (see `isQuotable`).
 */
export function quoteLogqlString(value: string): string {
  return quotePromqlString(value);
}

/** A line filter keeping lines that contain `text` (`|= "text"`), escaped. */
export function lineContains(text: string): string {
  return `|= ${quoteLogqlString(text)}`;
}

/** A line filter keeping lines that contain `text` in any case (`|~ "(?i)text"`), metacharacters escaped. */
export function lineContainsIgnoreCase(text: string): string {
  return `|~ ${quoteLogqlString(`(?i)${escapeRegexLiteral(text)}`)}`;
}

/**
 * A line filter keeping lines that match the RE2 `pattern` (`|~ "pattern"`). The pattern is used as
 * a regex: pass only trusted patterns, or escape user text with `escapeRegexLiteral` first.
 */
export function lineMatches(pattern: string): string {
  return `|~ ${quoteLogqlString(pattern)}`;
}
