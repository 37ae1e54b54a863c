import type { HttpResponseInit } from "@azure/functions";
import type { z } from "zod";

import { hasCode } from "../errors/has-code.js";

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** For validation errors: the offending field, as `query.depth` or `body.subscriptions[0]`. */
  field?: string;
  [extension: string]: unknown;
}

/** A failure a handler answers with a problem document; `problem.status` is the HTTP status. */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  readonly code = "TOPDECK_PROBLEM";
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** True for a ProblemError, also across two copies of this package. */
export function isProblemError(e: unknown): e is ProblemError {
  return hasCode(e, "TOPDECK_PROBLEM");
}

const base = "https://topdeck.dev/problems/";

/** The URI of a problem type: the one place the problem base is written (docs/api.md lists the types). */
export function problemType(name: string): string {
  return `${base}${name}`;
}

/** 400: a request field failed validation. */
export function validationProblem(field: string, detail: string): ProblemError {
  return new ProblemError({ type: problemType("validation"), title: "Invalid request", status: 400, detail, field });
}

/** Unknown keys a 400 names at most; a request with thousands must not get them all back. */
const NAMED_KEYS = 3;

/**
 * The first zod issue as a 400 naming the field under `where` (`query`, `body`, `path`). Unknown
 * keys are named at most three at a time, each cut to 60 characters, with a count of the rest.
 */
export function fromZodError(where: string, error: z.ZodError): ProblemError {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const field = [where, ...path.map(String)].join(".");
  if (issue?.code === "unrecognized_keys") {
    const keys = issue.keys;
    const named = keys
      .slice(0, NAMED_KEYS)
      .map((k) => JSON.stringify(k.slice(0, 60)))
      .join(", ");
    const more = keys.length > NAMED_KEYS ? ` and ${keys.length - NAMED_KEYS} more` : "";
    return validationProblem(field, `${field}: unknown parameter${keys.length === 1 ? "" : "s"} ${named}${more}`);
  }
  return validationProblem(field, `${field}: ${issue?.message ?? "invalid"}`);
}

/** 429: the caller must wait `retryAfterSeconds` (also sent as Retry-After). */
export function tooManyRequests(detail: string, retryAfterSeconds: number): ProblemError {
  return new ProblemError({ type: problemType("too-many-requests"), title: "Too many requests", status: 429, detail, retryAfterSeconds });
}

/** 404: the thing named by `field` does not exist. */
export function notFound(detail: string, field?: string): ProblemError {
  return new ProblemError({ type: problemType("not-found"), title: "Not found", status: 404, detail, ...(field ? { field } : {}) });
}

/** 409: a conflicting operation is in progress. */
export function conflict(detail: string, extensions: Record<string, unknown> = {}): ProblemError {
  return new ProblemError({ type: problemType("conflict"), title: "Conflict", status: 409, detail, ...extensions });
}

/** 503: a dependency is not configured or not reachable; `setting` names what to configure. */
export function unavailable(detail: string, extensions: Record<string, unknown> = {}): ProblemError {
  return new ProblemError({ type: problemType("unavailable"), title: "Service unavailable", status: 503, detail, ...extensions });
}

/** The response for a problem, with the problem+json content type. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status: problem.status,
    headers: { ...headers, "content-type": "application/problem+json" },
    body: JSON.stringify(problem),
  };
}
