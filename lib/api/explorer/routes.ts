import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import type { Caller } from "../auth.js";
import { APP_ROLES, authorize, hostAuthLevel, PRINCIPAL_HEADER, rolesAllow } from "../auth.js";
import { apiHandler, type RouteDefinition } from "../handler.js";
import { notFound, ProblemError, problemType } from "../problem.js";
import { EXPLORER_CSP, explorerAssets } from "./assets.js";

/** Headers of the page and its assets. */
const PAGE_HEADERS = { "content-security-policy": EXPLORER_CSP, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };

/**
 * The page is for signed-in readers: a browser cannot send a function key, so these routes are
 * `anonymous` to the Functions host and the pipeline checks the reader role (apiHandler). A
 * function key alone is refused here, because on an anonymous route the host has not checked it.
 */
function readerOnly(request: HttpRequest, context: InvocationContext): void {
  if (authorize(request, context, "reader").kind === "key") {
    throw new ProblemError({
      type: problemType("unauthorized"),
      title: "Unauthorized",
      status: 401,
      detail: `The explorer needs Microsoft Entra sign-in (${PRINCIPAL_HEADER}) with the TopDeck.Reader role; a function key does not open it.`,
    });
  }
}

/** Who the page is talking for: what `GET /explorer/me` answers. */
export interface ExplorerCaller {
  /** `local` on `topdeck serve` (no sign-in, every button works), `key` for a function key, else `principal`. */
  kind: "local" | "key" | "principal";
  /** The TopDeck app roles of the signed-in principal (none on serve). */
  roles: string[];
  /** Whether POST /discovery/runs will let this caller start a run (the operator role). */
  canStartRuns: boolean;
}

function callerView(caller: Caller): ExplorerCaller {
  if (caller.kind !== "principal") return { kind: caller.kind === "key" ? "key" : "local", roles: [], canStartRuns: true };
  const roles = caller.roles.filter((r) => r === APP_ROLES.reader || r === APP_ROLES.operator);
  return { kind: "principal", roles, canStartRuns: rolesAllow(caller.roles, "operator") };
}

async function asset(name: string): Promise<HttpResponseInit> {
  const found = (await explorerAssets())[name];
  if (found === undefined || name === "index.html") throw notFound(`No explorer asset ${JSON.stringify(name.slice(0, 100))}.`, "path.name");
  return { status: 200, body: found.body, headers: { ...PAGE_HEADERS, "content-type": found.contentType } };
}

/**
 * `GET /api/explorer` (the page), `GET /api/explorer/assets/{name}` (its script and style) and
 * `GET /api/explorer/me` (the caller's roles, so the page can hide what the caller may not do).
 */
export function explorerPageRoutes(): { explorer: RouteDefinition; explorerAsset: RouteDefinition; explorerMe: RouteDefinition } {
  return {
    explorerMe: {
      name: "explorerMe",
      route: "explorer/me",
      methods: ["GET"],
      // An API query like the others (a function key in `keys` mode), not a page.
      authLevel: hostAuthLevel("function"),
      handler: apiHandler(async (request, context) =>
        Promise.resolve({
          status: 200,
          jsonBody: callerView(authorize(request, context, "reader")),
          headers: { "cache-control": "no-store" },
        }),
      ),
    },
    explorer: {
      name: "explorer",
      route: "explorer",
      methods: ["GET"],
      authLevel: "anonymous",
      handler: apiHandler(async (request, context) => {
        readerOnly(request, context);
        const page = (await explorerAssets())["index.html"]!;
        return { status: 200, body: page.body, headers: { ...PAGE_HEADERS, "content-type": page.contentType } };
      }),
    },
    explorerAsset: {
      name: "explorerAsset",
      route: "explorer/assets/{name}",
      methods: ["GET"],
      authLevel: "anonymous",
      handler: apiHandler(async (request, context) => {
        readerOnly(request, context);
        return asset(request.params.name ?? "");
      }),
    },
  };
}

/**
 * The explorer's address on a server at `base` (e.g. `http://127.0.0.1:7071`), opened on the
 * `view` of `key` when one is given: what `topdeck serve` and `topdeck demo` print.
 * @param view `impact` or `resource` @default "impact"
 */
export function explorerUrl(base: string, key?: string, view: "impact" | "resource" = "impact"): string {
  const page = `${base}/api/explorer`;
  return key === undefined ? page : `${page}#/${view}?${new URLSearchParams({ id: key }).toString()}`;
}
