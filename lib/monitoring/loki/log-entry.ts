/** One log line from Loki. */
export interface LogEntry {
  /** Nanoseconds since the epoch, as Loki sent it (exact; milliseconds lose the order of close lines). */
  timeNs: string;
  /** Milliseconds since the epoch. */
  timeMs: number;
  line: string;
  /** The stream's labels. */
  labels: Readonly<Record<string, string>>;
}

/** A log query's window, epoch milliseconds; `limit` caps the lines returned. */
export interface LogWindow {
  startMs: number;
  endMs: number;
  /** @default 1000 */
  limit?: number;
  /** Which end of the window the limit keeps. @default "backward" (the newest lines) */
  direction?: "forward" | "backward";
}

/** The lines of a log query, oldest first. */
export interface LogQueryResult {
  entries: LogEntry[];
  /** True when the limit was reached: there may be more lines in the window. */
  truncated: boolean;
}

/** What the analysis needs from a log backend; {@link LokiClient} implements it. */
export interface LogsQuerier {
  queryRange(logql: string, window: LogWindow, signal?: AbortSignal): Promise<LogQueryResult>;
}
