import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import azureFunctions, { type FunctionOutput, type HttpResponseInit } from "@azure/functions";

import { type RouteDefinition, SECURITY_HEADERS } from "../../lib/api/handler.js";
import { markLocal } from "../../lib/api/local-invocation.js";
import { type Problem, problemResponse, problemType } from "../../lib/api/problem.js";
import { Router } from "../../lib/api/router.js";

/** A running local API server. */
export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Options of {@link serveRoutes}. */
export interface ServeOptions {
  /** Told of what a handler set on each of its route's output bindings (e.g. the run queue). */
  onOutput?: (output: FunctionOutput, value: unknown) => void;
  /**
   * Check roles as the deployed app does (invocations not marked local), for tests of what a
   * signed-in browser sees in `entra` mode. Warning: the principal header then comes from the
   * caller, as only App Service Authentication may set it: never serve anyone else like this.
   * @default false
   */
  checkAccess?: boolean;
}

/** Largest request body `serve` reads; the API's bodies are small. */
const MAX_BODY_BYTES = 1_048_576;

// Node's ESM loader cannot see these names in the package's webpack-built CommonJS (only `app`
// and a few others), so they come from the default export (module.exports).
const { HttpRequest, HttpResponse, InvocationContext } = azureFunctions;

/**
 * Serves route definitions over plain HTTP on localhost, building the same HttpRequest and
 * InvocationContext objects the Functions host passes, so `topdeck serve` runs the deployed
 * handlers unchanged. Warning: it checks no function keys and no roles (its invocations are marked
 * local); it listens on 127.0.0.1 only, and so that a web page the user visits cannot use it, it
 * answers only a loopback Host (403 otherwise: DNS rebinding), refuses a POST from a foreign
 * Origin (403) and a POST whose body is not `application/json` (415: a cross-site form).
 */
export async function serveRoutes(routes: readonly RouteDefinition[], port = 0, options: ServeOptions = {}): Promise<LocalServer> {
  const router = new Router(routes);
  let actual = port;
  const server = createServer((req, res) => {
    void handle(router, req, res, options, actual);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  actual = typeof address === "object" && address !== null ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Thrown by readBody past MAX_BODY_BYTES. */
class BodyTooLarge extends Error {}

/** The Host values a browser sends for this server: any other name is a DNS-rebinding page. */
function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** A problem answered by serve itself (not a handler), with the API's headers. */
function refuse(problem: Problem): HttpResponseInit {
  return problemResponse(problem, { ...SECURITY_HEADERS });
}

/**
 * Why serve refuses a request before routing it, or undefined: a Host that is not this server's
 * loopback name (403), a POST from another origin (403), a POST body that is not JSON (415). A
 * POST with neither body nor content type (`curl -X POST`) passes: browsers send `Origin` on every
 * cross-origin POST, so the Origin check covers a bodiless `fetch` from a page.
 */
export function localRefusal(headers: IncomingMessage["headers"], method: string, port: number): HttpResponseInit | undefined {
  const allowed = loopbackHosts(port);
  const host = headers.host?.toLowerCase();
  if (host === undefined || !allowed.has(host)) {
    return refuse({
      type: problemType("forbidden-host"),
      title: "Forbidden",
      status: 403,
      detail: `topdeck serve answers only Host 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.`,
      field: "header.host",
    });
  }
  if (method.toUpperCase() !== "POST") return undefined;
  const origin = headers.origin?.toLowerCase();
  if (origin !== undefined && !(origin.startsWith("http://") && allowed.has(origin.slice("http://".length)))) {
    return refuse({
      type: problemType("forbidden-origin"),
      title: "Forbidden",
      status: 403,
      detail: "topdeck serve accepts a POST only from its own origin.",
      field: "header.origin",
    });
  }
  const type = headers["content-type"];
  const length = Number(headers["content-length"] ?? 0);
  const bodiless = type === undefined && headers["transfer-encoding"] === undefined && !(length > 0);
  if (!bodiless && !isJsonMediaType(type)) {
    return refuse({
      type: problemType("unsupported-media-type"),
      title: "Unsupported media type",
      status: 415,
      detail: "A POST body must be application/json.",
      field: "header.content-type",
    });
  }
  return undefined;
}

/** True for `application/json`, with or without parameters, in any casing. */
function isJsonMediaType(type: string | undefined): boolean {
  return type !== undefined && type.split(";")[0]!.trim().toLowerCase() === "application/json";
}

async function handle(router: Router, req: IncomingMessage, res: ServerResponse, options: ServeOptions, port: number): Promise<void> {
  let answer: HttpResponseInit;
  try {
    answer = localRefusal(req.headers, req.method ?? "GET", port) ?? (await dispatch(router, req, options));
  } catch (error) {
    answer =
      error instanceof BodyTooLarge
        ? refuse({
            type: problemType("too-large"),
            title: "Payload too large",
            status: 413,
            detail: `The body is larger than ${MAX_BODY_BYTES} bytes.`,
          })
        : refuse({ type: problemType("bad-request"), title: "Bad request", status: 400, detail: "The request could not be read." });
  }
  try {
    await write(res, answer);
  } catch {
    // The answer could not be written (client gone, or a header the handler got wrong): send a
    // bare 500 if nothing was sent yet, else drop the connection.
    if (!res.headersSent)
      res.writeHead(500, { "content-type": "application/problem+json" }).end(
        JSON.stringify({
          type: problemType("internal"),
          title: "Internal error",
          status: 500,
          detail: "The answer could not be written.",
        }),
      );
    else res.destroy();
  }
}

async function dispatch(router: Router, req: IncomingMessage, options: ServeOptions): Promise<HttpResponseInit> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const path = url.pathname;
  try {
    decodeURIComponent(path);
  } catch {
    return refuse({
      type: problemType("bad-request"),
      title: "Bad request",
      status: 400,
      detail: "The path is not valid percent-encoding.",
      field: "path",
    });
  }
  const { match, methodAllowed } = router.match(req.method ?? "GET", path);
  if (match === undefined) {
    const status = methodAllowed ? 404 : 405;
    return refuse({
      type: problemType(status === 404 ? "not-found" : "method-not-allowed"),
      title: status === 404 ? "Not found" : "Method not allowed",
      status,
      detail: status === 404 ? `No route for ${path}.` : `${req.method ?? ""} is not allowed on ${path}.`,
    });
  }
  const body = await readBody(req);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const request = new HttpRequest({
    method: req.method ?? "GET",
    url: url.toString(),
    headers,
    params: match.params,
    ...(body.length > 0 ? { body: { bytes: body } } : {}),
  });
  const invocation = new InvocationContext({ functionName: match.definition.name, invocationId: randomUUID() });
  const context = options.checkAccess === true ? invocation : markLocal(invocation);
  const response = await match.definition.handler(request, context);
  for (const output of match.definition.extraOutputs ?? []) options.onOutput?.(output, context.extraOutputs.get(output));
  if (response instanceof HttpResponse) {
    return { status: response.status, headers: Object.fromEntries(response.headers), body: new Uint8Array(await response.arrayBuffer()) };
  }
  return response;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function write(res: ServerResponse, answer: HttpResponseInit): Promise<void> {
  const headers = new Headers(answer.headers);
  let payload: string | Uint8Array = "";
  if (answer.jsonBody !== undefined) {
    payload = JSON.stringify(answer.jsonBody);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (typeof answer.body === "string") {
    payload = answer.body;
  } else if (answer.body instanceof Uint8Array) {
    payload = answer.body;
  }
  res.writeHead(answer.status ?? 200, Object.fromEntries(headers));
  await new Promise<void>((resolve) => res.end(payload, () => resolve()));
}
