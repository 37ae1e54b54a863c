import type { HttpRequest, InvocationContext } from "@azure/functions";

import { loadSetting } from "../config/index.js";
import { isLocalInvocation } from "./local-invocation.js";
import { ProblemError, problemType } from "./problem.js";

/** The app roles of the Entra app registration (infra/main.bicep `var appRoles`, checked by test/infra). */
export const APP_ROLES = {
  /** Queries: every GET route but health. */
  reader: "TopDeck.Reader",
  /** Starting discovery runs; an operator may also query. */
  operator: "TopDeck.Operator",
} as const;

/**
 * How callers reach the app (TOPDECK_AUTH_MODE): `keys`, the Functions host checks a function key
 * on every route but health; `entra`, App Service Authentication requires sign-in in front of the
 * app, so routes are anonymous to the host and the app requires a principal (a function key is
 * then not checked by anyone, so it is not accepted).
 */
export type AuthMode = "keys" | "entra";

/** The mode this process runs in, read from TOPDECK_AUTH_MODE on each call (it is one enum parse). */
export function authMode(): AuthMode {
  return loadSetting("TOPDECK_AUTH_MODE");
}

/**
 * The auth level to register a route with at the Functions host: `function` routes become
 * `anonymous` in `entra` mode, where App Service Authentication stands in front of every route
 * (azure-functions-host#11394: the host would otherwise ask signed-in callers for a key too).
 */
export function hostAuthLevel(level: "anonymous" | "function", mode: AuthMode = authMode()): "anonymous" | "function" {
  return mode === "entra" ? "anonymous" : level;
}

/** What a route requires of its caller. */
export type Access = "anonymous" | "reader" | "operator";

/** Who called, as the pipeline decided. */
export type Caller =
  | { kind: "anonymous" }
  /** `topdeck serve` on localhost: no keys, no roles. */
  | { kind: "local" }
  /** A signed-in Entra principal (user or application) and its app roles. */
  | { kind: "principal"; roles: string[] }
  /** A function key in `x-functions-key` and no principal: automation, which the key authorises. */
  | { kind: "key" };

/** The header App Service Authentication sets (and strips from what clients send). */
export const PRINCIPAL_HEADER = "x-ms-client-principal";
/** Where automation sends its function key (never `?code=`: URLs end up in logs). */
export const KEY_HEADER = "x-functions-key";

/** Longest principal header read; the platform's are a few KB. */
const MAX_PRINCIPAL_CHARS = 32_768;
const ROLE_CLAIM_TYPES = new Set(["roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"]);

function unauthorized(detail: string): ProblemError {
  return new ProblemError({ type: problemType("unauthorized"), title: "Unauthorized", status: 401, detail });
}

function forbidden(detail: string): ProblemError {
  return new ProblemError({ type: problemType("forbidden"), title: "Forbidden", status: 403, detail });
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/**
 * The app roles in an `x-ms-client-principal` value: base64 JSON with `claims` (`{ typ, val }`,
 * role claims named by `role_typ`, `roles` or the WS-Federation role type) or a `roles` /
 * `userRoles` array. @throws ProblemError 401 when the value is not such a document.
 */
export function principalRoles(header: string): string[] {
  if (header.length > MAX_PRINCIPAL_CHARS || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(header.trim()))
    throw unauthorized(`The ${PRINCIPAL_HEADER} header is not a principal.`);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(header.trim(), "base64").toString("utf8"));
  } catch {
    throw unauthorized(`The ${PRINCIPAL_HEADER} header is not a principal.`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw unauthorized(`The ${PRINCIPAL_HEADER} header is not a principal.`);
  const principal = doc as { claims?: unknown; role_typ?: unknown; roles?: unknown; userRoles?: unknown };
  if (principal.claims !== undefined && !Array.isArray(principal.claims))
    throw unauthorized(`The ${PRINCIPAL_HEADER} header is not a principal.`);
  const roleType = typeof principal.role_typ === "string" ? principal.role_typ : undefined;
  const fromClaims = ((principal.claims ?? []) as unknown[]).flatMap((c) => {
    if (typeof c !== "object" || c === null) return [];
    const { typ, val } = c as { typ?: unknown; val?: unknown };
    return typeof typ === "string" && typeof val === "string" && (ROLE_CLAIM_TYPES.has(typ) || typ === roleType) ? [val] : [];
  });
  return [...new Set([...fromClaims, ...strings(principal.roles), ...strings(principal.userRoles)])];
}

/** Whether `roles` satisfy `access`: the operator role includes the reader's. */
export function rolesAllow(roles: readonly string[], access: Access): boolean {
  if (access === "anonymous") return true;
  if (roles.includes(APP_ROLES.operator)) return true;
  return access === "reader" && roles.includes(APP_ROLES.reader);
}

/**
 * The one access check of the request pipeline (apiHandler calls it): anonymous routes pass;
 * `topdeck serve`'s invocations pass; a principal must hold the route's role (403 otherwise); a
 * request without one must carry a function key in `x-functions-key`, which the Functions host
 * has validated before the handler runs (authLevel function), and is automation (401 otherwise).
 * In `entra` mode no host checks keys, so a request without a principal is a 401 whatever it carries.
 * A malformed principal is a 401, never a 500.
 * @throws ProblemError 401 or 403.
 */
export function authorize(request: HttpRequest, context: InvocationContext, access: Access, mode: AuthMode = authMode()): Caller {
  if (access === "anonymous") return { kind: "anonymous" };
  if (isLocalInvocation(context)) return { kind: "local" };
  const header = request.headers.get(PRINCIPAL_HEADER);
  if (header !== null && header.trim() !== "") {
    const roles = principalRoles(header);
    if (!rolesAllow(roles, access)) {
      const needed = access === "operator" ? APP_ROLES.operator : `${APP_ROLES.reader} or ${APP_ROLES.operator}`;
      throw forbidden(
        `This route needs the ${needed} app role; the signed-in principal has ${roles.length === 0 ? "none" : roles.slice(0, 5).join(", ")}.`,
      );
    }
    return { kind: "principal", roles };
  }
  if (mode === "entra") {
    throw unauthorized(
      `Sign in with Microsoft Entra ID (a bearer token for the app registration, as a user or as an application granted ${APP_ROLES.reader} or ${APP_ROLES.operator}); function keys are not accepted when TOPDECK_AUTH_MODE is entra.`,
    );
  }
  if ((request.headers.get(KEY_HEADER) ?? "").trim() !== "") return { kind: "key" };
  const inQuery = request.query.has("code");
  throw unauthorized(
    inQuery
      ? `Send the function key in the ${KEY_HEADER} header, not in ?code= (URLs are logged).`
      : `Sign in with Microsoft Entra ID (a bearer token for the app registration), or send a function key in the ${KEY_HEADER} header.`,
  );
}
