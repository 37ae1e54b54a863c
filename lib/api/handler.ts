import type { FunctionOutput, HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { z } from "zod";

import { correlationIdFrom, getLogger, withLogScope } from "../log/index.js";
import { type Access, authorize } from "./auth.js";
import { problemFor } from "./error-problems.js";
import { fromZodError, ProblemError, problemResponse, problemType, validationProblem } from "./problem.js";

/**
 * Headers on every API answer: nothing is kept by a browser or proxy cache (answers describe an
 * estate), and no answer is sniffed into another content type.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

/** Largest request body a handler reads; the API's bodies are small JSON objects. */
export const MAX_BODY_BYTES = 65_536;

/** Options of {@link apiHandler}. */
export interface ApiHandlerOptions {
  /** Who may call: `anonymous`, the reader role, or the operator role. @default "reader" */
  access?: Access;
}

/** How a route is registered, once, for the Functions host and `topdeck serve` alike. */
export interface RouteDefinition {
  /** Function name (unique in the app). */
  name: string;
  /** Route template under `/api`, e.g. `discovery/runs/{runId}`. */
  route: string;
  methods: Array<"GET" | "POST" | "PUT" | "DELETE" | "PATCH">;
  /**
   * `anonymous` only for health; every other route needs a function key on the Functions host.
   * The app roles a route needs are checked in {@link apiHandler} (its `access` option).
   */
  authLevel: "anonymous" | "function";
  handler: HttpHandler;
  /** Output bindings the handler sets through `context.extraOutputs` (a queue, for discovery runs). */
  extraOutputs?: FunctionOutput[];
}

/**
 * Wraps a handler: the correlation id comes from `x-correlation-id`, `traceparent` or the
 * invocation id and goes back on the response; the caller is checked against `access` (401/403,
 * lib/api/auth.ts); a declared body past MAX_BODY_BYTES is a 413; log lines go through the
 * invocation's logger; a known error becomes its problem+json answer (error-problems.ts, the one
 * mapping); anything else is logged and answered as a 500 without internals. Every answer carries SECURITY_HEADERS.
 */
export function apiHandler(
  fn: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
  options: ApiHandlerOptions = {},
): HttpHandler {
  const access = options.access ?? "reader";
  return async (request, context) => {
    const correlationId = correlationIdFrom(request.headers, context.invocationId);
    const headers = { "x-correlation-id": correlationId, ...SECURITY_HEADERS };
    return withLogScope({ correlationId, operation: context.functionName, sink: context }, async () => {
      try {
        authorize(request, context, access);
        const declared = Number(request.headers.get("content-length") ?? 0);
        if (declared > MAX_BODY_BYTES) throw bodyTooLarge();
        const response = await fn(request, context);
        return { ...response, headers: { ...(response.headers as Record<string, string> | undefined), ...headers } };
      } catch (error) {
        const mapped = problemFor(error);
        if (mapped !== undefined) {
          const wait = mapped.retryAfterSeconds;
          return problemResponse(mapped.problem, typeof wait === "number" ? { ...headers, "retry-after": String(wait) } : headers);
        }
        getLogger().error("request failed", { error, route: context.functionName });
        return problemResponse(
          {
            type: problemType("internal"),
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

function bodyTooLarge(): ProblemError {
  return new ProblemError({
    type: problemType("too-large"),
    title: "Payload too large",
    status: 413,
    detail: `The body is larger than ${MAX_BODY_BYTES} bytes.`,
    field: "body",
  });
}

/**
 * The request body as text, read no further than `maxBytes` (a body sent without a length is
 * cut off there too). @throws ProblemError 413 past it, 400 when it is not UTF-8.
 */
export async function boundedText(request: HttpRequest, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const body = request.body;
  if (body === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw bodyTooLarge();
    chunks.push(chunk);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw validationProblem("body", "body: must be UTF-8 text");
  }
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
