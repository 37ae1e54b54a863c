import type { MonitoredResource } from "./resource.js";
import type { QueryTemplate, QueryTemplates } from "./template-schema.js";

/** A template chosen for a resource, with its kind name. */
export interface ChosenTemplate {
  kind: string;
  template: QueryTemplate;
}

/** The first template (in order) whose `types` lists the resource's type, ignoring case; undefined for none. */
export function templateFor(resource: Pick<MonitoredResource, "type">, templates: QueryTemplates): ChosenTemplate | undefined {
  const type = resource.type.toLowerCase();
  for (const [kind, template] of Object.entries(templates)) {
    if (template.types.some((t) => t.toLowerCase() === type)) return { kind, template };
  }
  return undefined;
}
