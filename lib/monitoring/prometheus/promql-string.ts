/**
 * PromQL (and LogQL) string literals: double-quoted, with Go's escapes. Prometheus's lexer rejects
 * an unescaped newline and an escaped single quote inside double quotes (`\'`), so only `\`, `"`
 * and control characters are escaped; everything else goes through as UTF-8.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls, DEL, C1 controls, and the two Unicode line terminators: matching them is the point.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "\v": "\\v",
  "\u0007": "\\a",
};

/**
 * True when `value` can be written as a string literal: it is well-formed UTF-16 (no lone
 * surrogate halves, which have no UTF-8 form and so can equal no label value).
 */
export function isQuotable(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/**
 * `value` as a double-quoted PromQL string literal, quotes included, that the server reads back as
 * exactly `value`. Use it for every label value and line filter; never splice raw text into a query.
 * Warning: throws RangeError for a string with lone surrogates; check {@link isQuotable} first
 * where such input can occur.
 */
export function quotePromqlString(value: string): string {
  if (!isQuotable(value)) throw new RangeError("Expected a well-formed string: it has a lone surrogate half");
  const body = value.replace(NEEDS_ESCAPE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `"${body}"`;
}
