import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";

import { armErrors, type ArmResponse } from "./arm-errors.js";
import type { EstateIndex } from "./estate-index.js";
import { answerRoute } from "./handlers/answer.js";
import { emulatorTenantId } from "./handlers/context.js";
import { decodeSkipToken } from "./paging.js";
import type { RequestLog } from "./request-log.js";
import { matchRoute, type RouteMatch } from "./routes.js";
import { type ReadThrottle, remainingReadsHeaders } from "./throttle.js";
import type { FaultKind, InterceptedRequest, Interception } from "./types.js";

/** The principal every throttling message names (the emulator does not check tokens). */
const emulatorActor = "00000000-0000-0000-0000-0000000a11ce";

/** What the request handler works with; the server owns and closes these. */
export interface RequestHandlerDeps {
  /** `https://127.0.0.1:PORT`, known once the server listens. */
  origin: () => string;
  index: () => EstateIndex;
  log: RequestLog;
  throttle: ReadThrottle;
  drawFault: () => FaultKind | undefined;
  latencyMs: number;
  pageSize: number;
  /** Responses held by the "stall" fault, ended by close(). */
  stalled: Set<ServerResponse>;
  /** Aborted by close(): ends latency waits. */
  closing: AbortSignal;
  /** The test hook of ArmEmulatorOptions.intercept. */
  intercept?: (request: InterceptedRequest) => Interception | undefined;
}

/**
 * Handles one request as ARM would, in order: latency, method (GET, or POST for getEntities), bearer token, api-version, the
 * subscription's (or tenant's) token bucket, fault injection, then the route's answer.
 */
export function createRequestHandler(deps: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const requestId = randomUUID();
    const intercepted = deps.intercept?.(arrival(req, deps));
    if (deps.latencyMs > 0) {
      try {
        await delay(deps.latencyMs, undefined, { signal: deps.closing });
      } catch {
        res.destroy();
        return;
      }
    }
    // Split by hand: `new URL("//subscriptions/...")` would read a doubled slash as a host.
    const target = req.url ?? "/";
    const queryAt = target.indexOf("?");
    const match = matchRoute(queryAt < 0 ? target : target.slice(0, queryAt));
    const url = new URL(match.encodedPath + (queryAt < 0 ? "" : target.slice(queryAt)), deps.origin());
    const headers: Record<string, string> = {
      "x-ms-request-id": requestId,
      "x-ms-correlation-request-id": headerValue(req, "x-ms-client-request-id") ?? randomUUID(),
    };
    const setRemaining = (n: number): void => {
      for (const name of remainingReadsHeaders(match.scope)) headers[name] = String(n);
    };
    const peek = deps.throttle.peek(match.scope);
    if (peek !== undefined) setRemaining(peek);
    const send = (answer: ArmResponse): void => sendJson(res, deps.log, match, answer, headers);

    // getEntities is ARM's one POST read (its nextLink pages are POSTed too); everything else is a GET.
    const method = match.target.kind === "entities" ? "POST" : "GET";
    if (req.method !== method) return send(armErrors.methodNotAllowed(req.method ?? ""));
    const authorization = headerValue(req, "authorization");
    if (authorization === undefined) return send(armErrors.missingToken());
    if (!/^Bearer\s+\S+/i.test(authorization)) return send(armErrors.badToken());
    const apiVersion = url.searchParams.get("api-version");
    if (apiVersion === null || apiVersion.trim() === "") return send(armErrors.missingApiVersion());

    const take = deps.throttle.take(match.scope);
    if (!deps.throttle.off) setRemaining(take.remaining);
    if (!take.allowed) {
      deps.log.recordThrottled();
      return send(
        match.scope.kind === "tenant"
          ? armErrors.tenantThrottled(emulatorTenantId, emulatorActor, take.retryAfterSeconds)
          : armErrors.subscriptionThrottled(match.scope.subscriptionId, emulatorActor, take.retryAfterSeconds),
      );
    }

    const answer = (): ArmResponse =>
      answerRoute(match.target, {
        index: deps.index(),
        url,
        path: match.path,
        apiVersion,
        pageSize: deps.pageSize,
      });
    if (intercepted !== undefined && "headers" in intercepted) Object.assign(headers, intercepted.headers);
    if (intercepted !== undefined && "respond" in intercepted) return send(intercepted.respond(answer()));
    const fault = intercepted !== undefined && "fault" in intercepted ? intercepted.fault : deps.drawFault();
    if (fault === undefined) return send(answer());
    deps.log.recordFault(fault);
    switch (fault) {
      case "internal-error":
        return send(armErrors.internalError(requestId));
      case "unavailable":
        return send(armErrors.unavailable());
      case "throttled-no-retry-after":
        return send(armErrors.tooManyRequests());
      case "connection-reset":
        deps.log.record(match.template, "reset");
        req.socket.destroy();
        return;
      case "stall":
        deps.log.record(match.template, "stall");
        deps.stalled.add(res);
        res.once("close", () => deps.stalled.delete(res));
        return;
      case "malformed-json": {
        const text = JSON.stringify(answer().body);
        return sendText(res, deps.log, match, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))), headers);
      }
    }
  };
}

/** What the intercept hook is told of a request as it arrives. */
function arrival(req: IncomingMessage, deps: RequestHandlerDeps): InterceptedRequest {
  const target = req.url ?? "/";
  const queryAt = target.indexOf("?");
  const match = matchRoute(queryAt < 0 ? target : target.slice(0, queryAt));
  const url = new URL(match.encodedPath + (queryAt < 0 ? "" : target.slice(queryAt)), deps.origin());
  const token = url.searchParams.get("$skiptoken");
  const offset = token === null ? 0 : (decodeSkipToken(token) ?? 0);
  return { path: match.path, url, template: match.template, page: Math.floor(offset / deps.pageSize) };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, log: RequestLog, match: RouteMatch, answer: ArmResponse, headers: Record<string, string>): void {
  sendText(res, log, match, answer.status, JSON.stringify(answer.body), { ...headers, ...answer.headers });
}

function sendText(
  res: ServerResponse,
  log: RequestLog,
  match: RouteMatch,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  log.record(match.template, status);
  if (res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-cache",
  });
  res.end(text);
}
