import type { FunctionOutput, HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { z } from "zod";

import { correlationIdFrom, getLogger, withLogScope } from "../log/index.js";
import { fromZodError, isProblemError, problemResponse } from "./problem.js";

/** How a route is registered, once, for the Functions host and `topdeck serve` alike. */
export interface RouteDefinition {
  /** Function name (unique in the app). */
  name: string;
  /** Route template under `/api`, e.g. `discovery/runs/{runId}`. */
  route: string;
  methods: Array<"GET" | "POST" | "PUT" | "DELETE" | "PATCH">;
  /** `anonymous` only for health; every other route needs a function key. */
  authLevel: "anonymous" | "function";
  handler: HttpHandler;
  /** Output bindings the handler sets through `context.extraOutputs` (a queue, for discovery runs). */
  extraOutputs?: FunctionOutput[];
}

/**
 * Wraps a handler: the correlation id comes from `x-correlation-id`, `traceparent` or the
 * invocation id and goes back on the response; log lines go through the invocation's logger;
 * a ProblemError becomes its problem+json answer; anything else is logged and answered as a 500
 * without internals.
 */
export function apiHandler(fn: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>): HttpHandler {
  return async (request, context) => {
    const correlationId = correlationIdFrom(request.headers, context.invocationId);
    const headers = { "x-correlation-id": correlationId };
    return withLogScope({ correlationId, operation: context.functionName, sink: context }, async () => {
      try {
        const response = await fn(request, context);
        return { ...response, headers: { ...(response.headers as Record<string, string> | undefined), ...headers } };
      } catch (error) {
        if (isProblemError(error)) return problemResponse(error.problem, headers);
        getLogger().error("request failed", { error, route: context.functionName });
        return problemResponse(
          {
            type: "https://topdeck.dev/problems/internal",
            title: "Internal error",
            status: 500,
            detail: `The request could not be completed; quote correlation id ${correlationId} when reporting it.`,
          },
          headers,
        );
      }
    });
  };
}

/** The request's query string as an object (repeated names become arrays), validated by `schema`. */
export function parseQuery<S extends z.ZodType>(request: HttpRequest, schema: S): z.output<S> {
  const raw: Record<string, string | string[]> = {};
  for (const name of new Set(request.query.keys())) {
    const all = request.query.getAll(name);
    raw[name] = all.length > 1 ? all : all[0]!;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw fromZodError("query", parsed.error);
  return parsed.data;
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers };
}
