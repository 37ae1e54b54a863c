import type { Organisation, Project } from "./organisation.js";

/** What a route answers: status, JSON body, and headers such as `x-ms-continuationtoken`. */
export interface DevOpsAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Azure DevOps' error body (a serialised VSS exception). */
export function vssError(status: number, typeKey: string, message: string): DevOpsAnswer {
  return {
    status,
    body: {
      $id: "1",
      innerException: null,
      message,
      typeName: `Microsoft.VisualStudio.Services.WebApi.${typeKey}`,
      typeKey,
      errorCode: 0,
      eventId: 3000,
    },
  };
}

const notFound = (what: string): DevOpsAnswer =>
  vssError(404, "VssResourceNotFoundException", `${what} does not exist or you do not have permissions to access it.`);

/** Where a request lands and what it may page with. */
export interface RouteContext {
  org: Organisation;
  /** `https://127.0.0.1:PORT/{org}` */
  base: string;
  query: URLSearchParams;
  pageSize: number;
}

/** One page of `items` from the continuation token (an offset, opaque to clients) and `$top`/`top`. */
function page(items: readonly unknown[], ctx: RouteContext): DevOpsAnswer {
  const token = ctx.query.get("continuationToken");
  const start = token === null ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) return vssError(400, "ArgumentException", `The continuation token '${token}' is not valid.`);
  const top = Number(ctx.query.get("$top") ?? ctx.query.get("top") ?? ctx.pageSize);
  const size = Number.isInteger(top) && top > 0 ? Math.min(top, ctx.pageSize) : ctx.pageSize;
  const value = items.slice(start, start + size);
  const next = start + size < items.length ? { "x-ms-continuationtoken": String(start + size) } : undefined;
  return { status: 200, body: { count: value.length, value }, ...(next && { headers: next }) };
}

const list = (value: readonly unknown[]): DevOpsAnswer => ({ status: 200, body: { count: value.length, value } });

const after = (time: string | undefined, min: string | null): boolean =>
  min === null || (time !== undefined && Date.parse(time) >= Date.parse(min));

function projectRef(p: Project, base: string) {
  return { id: p.id, name: p.name, url: `${base}/_apis/projects/${p.id}`, state: p.state };
}

function projectAnswer(p: Project, base: string) {
  const { repositories: _r, buildDefinitions: _d, builds: _b, releaseDefinitions: _rd, deployments: _dp, environments: _e, ...rest } = p;
  return { ...rest, url: `${base}/_apis/projects/${p.id}` };
}

function findProject(org: Organisation, nameOrId: string): Project | undefined {
  const wanted = decodeURIComponent(nameOrId).toLowerCase();
  return org.projects.find((p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
}

type ProjectRoute = (p: Project, m: RegExpExecArray, ctx: RouteContext) => DevOpsAnswer;

/** Project-scoped routes: the path after `/{org}/{project}`, lower-cased. */
const projectRoutes: readonly [RegExp, ProjectRoute][] = [
  [
    /^\/_apis\/git\/repositories\/?$/,
    (p, _m, ctx) =>
      list(
        p.repositories.map((r) => ({
          url: `${ctx.base}/_apis/git/repositories/${r.id}`,
          project: projectRef(p, ctx.base),
          remoteUrl: `${ctx.base}/${p.name}/_git/${r.name}`,
          ...r,
        })),
      ),
  ],
  [
    /^\/_apis\/build\/definitions\/?$/,
    (p, _m, ctx) => {
      const all = ctx.query.get("includeAllProperties") === "true";
      return page(
        p.buildDefinitions.map((d) => {
          const ref = {
            id: d.id,
            name: d.name,
            path: d.path,
            type: "build",
            queueStatus: "enabled",
            revision: d.revision ?? 1,
            project: projectRef(p, ctx.base),
            url: `${ctx.base}/${p.id}/_apis/build/Definitions/${d.id}`,
          };
          return all ? { ...d, ...ref } : ref;
        }),
        ctx,
      );
    },
  ],
  [
    /^\/_apis\/build\/builds\/?$/,
    (p, _m, ctx) =>
      page(
        p.builds.filter((b) => after(b.queueTime, ctx.query.get("minTime"))).map((b) => ({ ...b, project: projectRef(p, ctx.base) })),
        ctx,
      ),
  ],
  [
    /^\/_apis\/release\/definitions\/?$/,
    (p, _m, ctx) => {
      const expand = (ctx.query.get("$expand") ?? "").toLowerCase().includes("environments");
      return page(
        p.releaseDefinitions.map((d) => (expand ? d : { ...d, environments: undefined })),
        ctx,
      );
    },
  ],
  [
    /^\/_apis\/release\/deployments\/?$/,
    (p, _m, ctx) =>
      page(
        p.deployments.filter((d) => after(d.startedOn, ctx.query.get("minStartedTime"))),
        ctx,
      ),
  ],
  [
    /^\/_apis\/pipelines\/environments\/?$/,
    (p, _m, ctx) =>
      page(
        p.environments.map(({ resources: _r, deploymentRecords: _d, ...e }) => ({ ...e, project: { id: p.id, name: p.name } })),
        ctx,
      ),
  ],
  [
    /^\/_apis\/pipelines\/environments\/(\d+)\/?$/,
    (p, m, ctx) => {
      const env = p.environments.find((e) => e.id === Number(m[1]));
      if (!env) return notFound(`Environment ${m[1]}`);
      const { deploymentRecords: _d, resources, ...rest } = env;
      const expands = (ctx.query.get("expands") ?? "").toLowerCase();
      // The node client sends the EnvironmentExpands enum's number (ResourceReferences = 1).
      const refs =
        expands.includes("resourcereferences") || expands === "1"
          ? resources.map((r) => ({ id: r.id, name: r.name, type: r.type, tags: r.tags ?? [] }))
          : [];
      return { status: 200, body: { ...rest, project: { id: p.id, name: p.name }, resources: refs } };
    },
  ],
  [
    /^\/_apis\/pipelines\/environments\/(\d+)\/providers\/kubernetes\/(\d+)\/?$/,
    (p, m) => {
      const env = p.environments.find((e) => e.id === Number(m[1]));
      const r = env?.resources.find((x) => x.id === Number(m[2]) && x.type === "kubernetes");
      return r && env
        ? { status: 200, body: { ...r, environmentReference: { id: env.id, name: env.name } } }
        : notFound(`Kubernetes resource ${m[2]}`);
    },
  ],
  [
    /^\/_apis\/pipelines\/environments\/(\d+)\/environmentdeploymentrecords\/?$/,
    (p, m, ctx) => {
      const env = p.environments.find((e) => e.id === Number(m[1]));
      return env
        ? page(
            env.deploymentRecords.map((r) => ({ environmentId: env.id, ...r })),
            ctx,
          )
        : notFound(`Environment ${m[1]}`);
    },
  ],
  [/^\/_apis\/serviceendpoint\/endpoints\/?$/, (p, _m, ctx) => list(endpointsOf(ctx.org, p).map(({ executionHistory: _h, ...e }) => e))],
  [
    /^\/_apis\/serviceendpoint\/([0-9a-f-]+)\/executionhistory\/?$/,
    (p, m, ctx) => {
      const e = endpointsOf(ctx.org, p).find((x) => x.id.toLowerCase() === m[1]);
      return e
        ? page(
            e.executionHistory.map((data) => ({ data, endpointId: e.id })),
            ctx,
          )
        : notFound(`Service endpoint ${m[1]}`);
    },
  ],
];

function endpointsOf(org: Organisation, p: Project) {
  return org.serviceEndpoints.filter((e) =>
    e.serviceEndpointProjectReferences.some((r) => r.projectReference.id.toLowerCase() === p.id.toLowerCase()),
  );
}

/**
 * Answers a GET under `/{org}`: `rest` is the path after it (`/_apis/projects`, `/{project}/_apis/...`).
 * @returns undefined for a path no route serves.
 */
export function answerGet(rest: string, ctx: RouteContext): DevOpsAnswer | undefined {
  const path = rest.toLowerCase();
  if (/^\/_apis\/projects\/?$/.test(path))
    return page(
      ctx.org.projects.map((p) => projectAnswer(p, ctx.base)),
      ctx,
    );
  const one = /^\/_apis\/projects\/([^/]+)\/?$/.exec(rest);
  if (one) {
    const p = findProject(ctx.org, one[1] ?? "");
    return p ? { status: 200, body: projectAnswer(p, ctx.base) } : notFound(`Project ${one[1]}`);
  }
  const scoped = /^\/([^/]+)(\/_apis\/.*)$/.exec(rest);
  if (!scoped) return undefined;
  const sub = (scoped[2] ?? "").toLowerCase();
  for (const [pattern, route] of projectRoutes) {
    const m = pattern.exec(sub);
    if (!m) continue;
    const p = findProject(ctx.org, scoped[1] ?? "");
    return p ? route(p, m, ctx) : notFound(`Project ${scoped[1]}`);
  }
  return undefined;
}
