/** What kind of failure an error line reports. */
export type ErrorType =
  | "out-of-memory"
  | "timeout"
  | "throttled"
  | "auth"
  | "tls"
  | "dns"
  | "connection"
  | "database"
  | "server-error"
  | "client-error"
  | "exception"
  | "other";

/** One rule: the first rule (in order) whose pattern matches names the type. */
export interface ErrorTypeRule {
  type: Exclude<ErrorType, "other">;
  pattern: RegExp;
}

/**
 * The rules, most specific first: an OOM-killed pod that also timed out is out-of-memory; a timeout
 * that surfaced as an exception is a timeout.
 */
export const errorTypeRules: readonly ErrorTypeRule[] = [
  { type: "out-of-memory", pattern: /out of memory|OOMKill|OutOfMemory|heap out of memory|memory limit exceeded/i },
  { type: "timeout", pattern: /time[ds]?[ -]?out|deadline exceeded|ETIMEDOUT|ESOCKETTIMEDOUT|\b504\b/i },
  { type: "throttled", pattern: /\b429\b|too many requests|throttl|rate[ -]?limit/i },
  { type: "auth", pattern: /\b40[13]\b|unauthori[sz]ed|forbidden|access denied|authentication failed|invalid[_ ]token|AADSTS\d+/i },
  { type: "tls", pattern: /certificate|x509|\bTLS\b|\bSSL\b|handshake/i },
  { type: "dns", pattern: /ENOTFOUND|EAI_AGAIN|no such host|name resolution|NXDOMAIN/i },
  {
    type: "connection",
    pattern: /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|EPIPE|connection (?:refused|reset|closed|aborted)|broken pipe|socket hang up/i,
  },
  { type: "database", pattern: /deadlock|SqlException|constraint|could not serialize|too many connections|database|sql/i },
  { type: "server-error", pattern: /\b(?:status|code|HTTP)[ =:/"]*5\d\d\b|\b5\d\d (?:Internal|Bad Gateway|Service Unavailable)/i },
  { type: "client-error", pattern: /\b(?:status|code|HTTP)[ =:/"]*4\d\d\b/i },
  { type: "exception", pattern: /\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\b|\bpanic:|Traceback \(most recent call last\)/ },
];

/** The type of failure an error line reports; `other` when no rule matches. */
export function errorTypeOf(line: string, rules: readonly ErrorTypeRule[] = errorTypeRules): ErrorType {
  for (const rule of rules) if (rule.pattern.test(line)) return rule.type;
  return "other";
}
