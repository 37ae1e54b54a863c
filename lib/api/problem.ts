import type { HttpResponseInit } from "@azure/functions";
import type { z } from "zod";

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
  return e instanceof Error && (e as { code?: unknown }).code === "TOPDECK_PROBLEM";
}

const base = "https://topdeck.dev/problems/";

/** 400: a request field failed validation. */
export function validationProblem(field: string, detail: string): ProblemError {
  return new ProblemError({ type: `${base}validation`, title: "Invalid request", status: 400, detail, field });
}

/** The first zod issue as a 400 naming the field under `where` (`query`, `body`, `path`). */
export function fromZodError(where: string, error: z.ZodError): ProblemError {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const field = [where, ...path.map(String)].join(".");
  return validationProblem(field, `${field}: ${issue?.message ?? "invalid"}`);
}

/** 404: the thing named by `field` does not exist. */
export function notFound(detail: string, field?: string): ProblemError {
  return new ProblemError({ type: `${base}not-found`, title: "Not found", status: 404, detail, ...(field ? { field } : {}) });
}

/** 409: a conflicting operation is in progress. */
export function conflict(detail: string, extensions: Record<string, unknown> = {}): ProblemError {
  return new ProblemError({ type: `${base}conflict`, title: "Conflict", status: 409, detail, ...extensions });
}

/** 503: a dependency is not configured or not reachable; `setting` names what to configure. */
export function unavailable(detail: string, extensions: Record<string, unknown> = {}): ProblemError {
  return new ProblemError({ type: `${base}unavailable`, title: "Service unavailable", status: 503, detail, ...extensions });
}

/** The response for a problem, with the problem+json content type. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status: problem.status,
    headers: { ...headers, "content-type": "application/problem+json" },
    body: JSON.stringify(problem),
  };
}
