/** A log line's level, normalised; `unknown` when nothing in the line or its labels says. */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "unknown";

const WORDS: Readonly<Record<string, LogLevel>> = {
  trace: "trace",
  trc: "trace",
  verbose: "trace",
  vrb: "trace",
  debug: "debug",
  dbg: "debug",
  dbug: "debug",
  info: "info",
  inf: "info",
  information: "info",
  informational: "info",
  notice: "info",
  warn: "warn",
  warning: "warn",
  wrn: "warn",
  error: "error",
  err: "error",
  eror: "error",
  severe: "error",
  fatal: "fatal",
  critical: "fatal",
  crit: "fatal",
  panic: "fatal",
  alert: "fatal",
  emerg: "fatal",
  emergency: "fatal",
};
// pino / bunyan numeric levels.
const NUMBERS: Readonly<Record<number, LogLevel>> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
const KLOG: Readonly<Record<string, LogLevel>> = { I: "info", W: "warn", E: "error", F: "fatal" };

const LABELS = ["level", "detected_level", "severity", "lvl", "log_level", "severity_text"];
const JSON_FIELDS = ["level", "severity", "lvl", "loglevel", "log_level", "levelname", "@l", "severitytext"];
const LOGFMT = /(?:^|\s)(?:level|lvl|severity|loglevel)=["']?([A-Za-z]+)/i;
const KLOG_PREFIX = /^([IWEF])\d{4} \d{2}:\d{2}:\d{2}/;
// A level word near the start, as a token: "ERROR ...", "[error]", "2024-05-01T00:00:00Z WARN ...", "Error: ...".
const PREFIX_WORD =
  /(?:^|[\s[(<|])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC|Trace|Debug|Info|Warn|Warning|Error|Fatal|Critical|Panic|\[[a-z]+\])(?=$|[\s\]):>|,-])/;

function word(value: unknown): LogLevel | undefined {
  if (typeof value === "number") return NUMBERS[value];
  if (typeof value !== "string") return undefined;
  return WORDS[value.trim().toLowerCase()];
}

function fromJson(line: string): LogLevel | undefined {
  if (!line.startsWith("{")) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null) return undefined;
  const fields = record as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (JSON_FIELDS.includes(name.toLowerCase())) {
      const level = word(value);
      if (level) return level;
    }
  }
  // Elastic Common Schema nests it: {"log": {"level": "error"}}.
  const log = fields.log;
  return typeof log === "object" && log !== null ? word((log as Record<string, unknown>).level) : undefined;
}

/**
 * The level of a log line: from the stream's labels (`level`, `detected_level`, `severity`, ...),
 * else from the line (JSON fields, pino numbers, logfmt `level=`, klog's `E0501` prefix, a level
 * word near the start). A level word further in ("no error found") does not count.
 */
export function levelOf(line: string, labels: Readonly<Record<string, string>> = {}): LogLevel {
  for (const name of LABELS) {
    const level = word(labels[name]);
    if (level) return level;
  }
  const level =
    fromJson(line) ??
    word(LOGFMT.exec(line)?.[1]) ??
    KLOG[KLOG_PREFIX.exec(line)?.[1] ?? ""] ??
    word(PREFIX_WORD.exec(line.slice(0, 80))?.[1]?.replace(/^\[|\]$/g, ""));
  return level ?? "unknown";
}

/** True for `error` and `fatal`. */
export function isErrorLevel(level: LogLevel): boolean {
  return level === "error" || level === "fatal";
}
