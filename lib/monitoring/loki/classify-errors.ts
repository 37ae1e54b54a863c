import { sanitiseText } from "../../security/index.js";
import { correlationIdOf } from "./correlation-id.js";
import { type ErrorType, errorTypeOf } from "./error-type.js";
import type { LogEntry } from "./log-entry.js";
import { isErrorLevel, levelOf, type LogLevel } from "./log-level.js";

/** A log line judged to report an error. */
export interface ClassifiedError {
  timeMs: number;
  timeNs: string;
  level: LogLevel;
  type: ErrorType;
  correlationId?: string;
  /** The line, secrets replaced by markers (lib/security), cut to 500 characters. */
  line: string;
}

/**
 * The entries that report errors, classified: level error or fatal, or no level at all but a
 * recognisable failure (a stack trace, `ECONNREFUSED`). Warnings are not errors.
 */
export function classifyErrors(entries: readonly LogEntry[]): ClassifiedError[] {
  const out: ClassifiedError[] = [];
  for (const e of entries) {
    const level = levelOf(e.line, e.labels);
    const type = errorTypeOf(e.line);
    if (!isErrorLevel(level) && !(level === "unknown" && type !== "other")) continue;
    const correlationId = correlationIdOf(e.line, e.labels);
    // LokiClient has sanitised its lines already; another LogsQuerier may not have.
    const line = sanitiseText(e.line);
    out.push({
      timeMs: e.timeMs,
      timeNs: e.timeNs,
      level,
      type,
      ...(correlationId !== undefined && { correlationId }),
      line: line.length > 500 ? `${line.slice(0, 497)}...` : line,
    });
  }
  return out;
}
