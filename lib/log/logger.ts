import { currentScope, type InvocationLogSink } from "./context.js";
import { redact, redactText } from "./redact.js";

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One structured line, before it is serialised. */
export interface LogRecord {
  timestamp: string;
  level: LogLevel;
  message: string;
  correlationId?: string;
  operation?: string;
  [field: string]: unknown;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Lowest level written. @default "info" */
  level?: LogLevel;
  /** Where lines go outside an invocation. @default one JSON line per record on stdout */
  write?: (line: string, record: LogRecord) => void;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Fields bound to every line of this logger. */
  fields?: Record<string, unknown>;
}

/** A structured logger; its lines carry the async scope's correlation id and operation. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

const stdoutWrite = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Creates a logger that writes redacted JSON lines, through the invocation's logger when inside one. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = rank[options.level ?? "info"];
  const write = options.write ?? stdoutWrite;
  const now = options.now ?? Date.now;
  const bound = options.fields ?? {};

  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (rank[level] < threshold) return;
    const scope = currentScope();
    const record: LogRecord = {
      timestamp: new Date(now()).toISOString(),
      level,
      message: redactText(message),
      ...(scope?.correlationId === undefined ? {} : { correlationId: scope.correlationId }),
      ...(scope?.operation === undefined ? {} : { operation: scope.operation }),
      ...(redact({ ...bound, ...fields }) as Record<string, unknown>),
    };
    const line = JSON.stringify(record);
    if (scope?.sink !== undefined) sinkFor(scope.sink, level)(line);
    else write(line, record);
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger({ ...options, fields: { ...bound, ...fields } }),
  };
}

function sinkFor(sink: InvocationLogSink, level: LogLevel): (line: string) => void {
  return (line) => sink[level](line);
}
