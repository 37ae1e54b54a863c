import type { MonitoredResource } from "./resource.js";
import type { TemplateMatcher } from "./template-schema.js";

function propertyAt(properties: unknown, path: string): unknown {
  let cur = properties;
  for (const part of path.split(".")) {
    if (typeof cur !== "object" || cur === null || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The value a matcher's source names on a resource; undefined when the resource has none. */
export function valueOf(resource: MonitoredResource, from: TemplateMatcher["from"]): string | undefined {
  let value: unknown;
  if (typeof from === "string") value = resource[from];
  else if ("tag" in from) value = resource.tags?.[from.tag];
  else value = propertyAt(resource.properties, from.property);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value === "string" ? value : undefined;
}
