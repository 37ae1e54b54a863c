import { isQuotable, quotePromqlString } from "./promql-string.js";
import { escapeRegexLiteral } from "./regex-literal.js";

/** How a label value is compared: exactly, or ignoring case (ARM ids are case-insensitive). */
export type MatchMode = "exact" | "ignore-case";

/** One label matcher with a literal value; escaping happens when it is rendered. */
export interface LabelMatcher {
  label: string;
  value: string;
  /** @default "exact" */
  match?: MatchMode;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * One matcher as PromQL/LogQL text: `label="value"`, or `label=~"(?i)value"` with every regex
 * metacharacter escaped. Undefined when the value cannot select anything on its own: an empty value
 * (`label=""` would select every series *without* the label) or a string with lone surrogates.
 * @throws RangeError for a label name that is not `[a-zA-Z_][a-zA-Z0-9_]*` (templates are validated, so this is a bug).
 */
export function renderMatcher(m: LabelMatcher): string | undefined {
  if (!LABEL_NAME.test(m.label)) throw new RangeError(`Invalid label name ${JSON.stringify(m.label)}`);
  if (m.value === "" || !isQuotable(m.value)) return undefined;
  if (m.match === "ignore-case") return `${m.label}=~${quotePromqlString(`(?i)${escapeRegexLiteral(m.value)}`)}`;
  return `${m.label}=${quotePromqlString(m.value)}`;
}

/**
 * The matchers joined with commas, without braces (a template writes `metric{$selector}` or
 * `metric{$selector,code=~"5.."}`). Undefined when there are none or any one cannot be rendered:
 * a selector that silently dropped a matcher would select other resources' series.
 */
export function renderSelector(matchers: readonly LabelMatcher[]): string | undefined {
  if (matchers.length === 0) return undefined;
  const parts: string[] = [];
  for (const m of matchers) {
    const text = renderMatcher(m);
    if (text === undefined) return undefined;
    parts.push(text);
  }
  return parts.join(",");
}
