import { type LabelMatcher, renderSelector } from "../prometheus/label-matchers.js";
import type { MonitoredResource } from "./resource.js";
import { valueOf } from "./resource-values.js";
import type { SignalName } from "./signals.js";
import type { QueryTemplate, TemplateMatcher } from "./template-schema.js";

/** The label matchers of a resource under a template; undefined when a required one has no value. */
export function matchersFor(resource: MonitoredResource, matchers: readonly TemplateMatcher[]): LabelMatcher[] | undefined {
  const out: LabelMatcher[] = [];
  for (const m of matchers) {
    const value = valueOf(resource, m.from);
    if (value === undefined || value === "") {
      if (m.optional) continue;
      return undefined;
    }
    out.push({ label: m.label, value, match: m.match });
  }
  return out;
}

/**
 * The PromQL per signal for a resource: `$selector` replaced by its escaped label matchers and
 * `$window` by the rate window. Undefined when the resource cannot be selected (a required value is
 * missing or empty, or cannot be written as a literal): better no data than another resource's.
 */
export function promqlFor(
  resource: MonitoredResource,
  template: QueryTemplate,
  windowSeconds: number,
): Partial<Record<SignalName, string>> | undefined {
  const matchers = matchersFor(resource, template.matchers);
  const selector = matchers && renderSelector(matchers);
  if (selector === undefined) return undefined;
  const window = `${Math.max(1, Math.round(windowSeconds))}s`;
  const out: Partial<Record<SignalName, string>> = {};
  for (const [signal, query] of Object.entries(template.signals) as [SignalName, string][]) {
    // One pass with a function: the selector holds user data, so a second pass would rewrite a
    // "$window" inside an id, and a string replacement would expand "$&".
    out[signal] = query.replace(/\$(selector|window)/g, (_, name: string) => (name === "selector" ? selector : window));
  }
  return out;
}

/** The Loki stream selector (`{…}`) for a resource; undefined when it cannot be selected. */
export function logSelectorFor(resource: MonitoredResource, template: QueryTemplate): string | undefined {
  const matchers = matchersFor(resource, template.logMatchers ?? template.matchers);
  const selector = matchers && renderSelector(matchers);
  return selector === undefined ? undefined : `{${selector}}`;
}
