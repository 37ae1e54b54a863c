import type { RouteDefinition } from "./handler.js";

/** A route table entry with its template split into segments. */
interface CompiledRoute {
  definition: RouteDefinition;
  /** Lower-cased literal segments, or `{ param }` for a `{name}` segment. */
  segments: Array<string | { param: string }>;
  literalSegments: number;
}

/** The route a request path lands on, and the template's parameters. */
export interface RouteMatch {
  definition: RouteDefinition;
  params: Record<string, string>;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Matches `/api/...` paths to route templates the way the Functions host does for this app:
 * case-insensitive, `{name}` matches one segment, literal segments win over parameters
 * (`discovery/runs/latest` before `discovery/runs/{runId}`). Give it the path as sent (still
 * percent-encoded): each segment is decoded once, so `%2F` stays inside a parameter and `%25`
 * is never decoded twice. A segment that is not valid percent-encoding matches nothing.
 */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(definitions: readonly RouteDefinition[]) {
    this.routes = definitions
      .map((definition) => {
        const segments = definition.route.split("/").map((s) => {
          const param = /^\{(\w+)\}$/.exec(s);
          return param ? { param: param[1]! } : s.toLowerCase();
        });
        return { definition, segments, literalSegments: segments.filter((s) => typeof s === "string").length };
      })
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** The route for a path, or undefined; `methodAllowed` is false when only the method is wrong. */
  match(method: string, path: string): { match?: RouteMatch; methodAllowed: boolean } {
    const raw = path.split("/");
    if (raw[0] !== "" || raw[1]?.toLowerCase() !== "api") return { methodAllowed: true };
    const rest = raw.slice(2);
    if (rest.length > 1 && rest.at(-1) === "") rest.pop();
    const decoded = rest.map(decodeSegment);
    if (decoded.some((s) => s === undefined)) return { methodAllowed: true };
    const segments = decoded as string[];
    let pathMatched = false;
    for (const r of this.routes) {
      if (r.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const fits = r.segments.every((s, i) => {
        const given = segments[i]!;
        if (typeof s === "string") return s === given.toLowerCase();
        if (given === "") return false;
        params[s.param] = given;
        return true;
      });
      if (!fits) continue;
      pathMatched = true;
      if (!r.definition.methods.includes(method.toUpperCase() as RouteDefinition["methods"][number])) continue;
      return { match: { definition: r.definition, params }, methodAllowed: true };
    }
    return { methodAllowed: !pathMatched };
  }
}
