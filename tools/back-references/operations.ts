/**
 * Reading an `@azure/arm-*` package's operation specs: each names an HTTP method, a URL template
 * and the mapper of its 200 response. A GET whose template ends in a resource's name is the read of
 * one resource, and the template says which ARM type that is.
 */

/** The read of one resource: its ARM type (lower-cased) and the class name of the response model. */
export interface ResourceRead {
  armType: string;
  model: string;
}

/** The write (PUT) of one resource: its ARM type and the parameter (in models/parameters.js) of its body. */
export interface ResourceWrite {
  armType: string;
  parameter: string;
}

const specStart = /OperationSpec\s*=\s*\{/g;

/** The single-resource GETs and PUTs of one operations/*.js text. */
export function resourceOperations(source: string): { reads: ResourceRead[]; writes: ResourceWrite[] } {
  const starts = [...source.matchAll(specStart)].map((m) => m.index);
  const reads: ResourceRead[] = [];
  const writes: ResourceWrite[] = [];
  starts.forEach((start, i) => {
    const block = source.slice(start, starts[i + 1] ?? source.length);
    const path = /\bpath:\s*"([^"]+)"/.exec(block)?.[1];
    const method = /\bhttpMethod:\s*"([A-Z]+)"/.exec(block)?.[1];
    const armType = path === undefined ? undefined : armTypeOfPath(path);
    if (armType === undefined) return;
    const model = /\b200:\s*\{\s*bodyMapper:\s*Mappers\.([A-Za-z_$][\w$]*)/.exec(block)?.[1];
    const parameter = /\brequestBody:\s*Parameters\.([A-Za-z_$][\w$]*)/.exec(block)?.[1];
    if (method === "GET" && model !== undefined) reads.push({ armType, model });
    if (method === "PUT" && parameter !== undefined) writes.push({ armType, parameter });
  });
  return { reads, writes };
}

/** The model (class name) of each body parameter of a models/parameters.js text. */
export function parameterModels(source: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of source.matchAll(/\b([A-Za-z_$][\w$]*)\s+as\s+([A-Za-z_$][\w$]*)/g)) aliases.set(m[2]!, m[1]!);
  const out = new Map<string, string>();
  for (const m of source.matchAll(
    /^export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*\{\s*parameterPath:[^\n]*\n\s*mapper:\s*(?:Mappers\.)?([A-Za-z_$][\w$]*)\s*[,\n}]/gm,
  )) {
    out.set(m[1]!, aliases.get(m[2]!) ?? m[2]!);
  }
  return out;
}

/**
 * The ARM type a URL template reads, or undefined when it is not the read of one resource:
 * `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/ddosProtectionPlans/{n}` is
 * `microsoft.network/ddosprotectionplans`; extension resources (`/{resourceUri}/providers/…`) take
 * the last provider; a template ending in a type segment (a list) or an action is not one.
 */
export function armTypeOfPath(path: string): string | undefined {
  const segments = path.replace(/^\/+|\/+$/g, "").split("/");
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf("providers");
  if (at < 0) return undefined;
  const namespace = segments[at + 1];
  const rest = segments.slice(at + 2);
  if (namespace === undefined || namespace.includes("{") || rest.length === 0 || rest.length % 2 !== 0) return undefined;
  const types: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const type = rest[i]!;
    if (type.includes("{") || type === "") return undefined;
    types.push(type);
  }
  return `${namespace}/${types.join("/")}`.toLowerCase();
}
