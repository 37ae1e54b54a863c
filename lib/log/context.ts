import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** Where log lines go inside a Functions invocation: the InvocationContext's own methods. */
export interface InvocationLogSink {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** What rides along an async call chain. */
export interface LogScope {
  correlationId: string;
  operation?: string;
  sink?: InvocationLogSink;
}

const storage = new AsyncLocalStorage<LogScope>();

/** Runs `fn` with a correlation scope that follows every await, timer and p-limit queue inside it. */
export function withLogScope<T>(scope: LogScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the current async chain, if any. */
export function currentScope(): LogScope | undefined {
  return storage.getStore();
}

/** The current correlation id, if the caller runs inside a scope. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

const safeId = /^[A-Za-z0-9._:-]{1,128}$/;
const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The correlation id for an incoming request: `x-correlation-id` when it is a safe token, else the
 * trace id of a valid W3C `traceparent`, else the invocation id, else a new UUID.
 */
export function correlationIdFrom(headers: { get(name: string): string | null }, invocationId?: string): string {
  const given = headers.get("x-correlation-id")?.trim();
  if (given !== undefined && safeId.test(given)) return given;
  const trace = traceparent.exec(headers.get("traceparent")?.trim().toLowerCase() ?? "")?.[1];
  if (trace !== undefined && !/^0+$/.test(trace)) return trace;
  return invocationId ?? randomUUID();
}
