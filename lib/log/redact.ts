/**
 * Secret redaction for log lines. Three nets, because secrets arrive in three ways: a field whose
 * name says it is secret, a value with a recognisable shape (bearer token, JWT, connection-string
 * key, SAS signature), and a value the app knows is secret (registered at start, such as the
 * Upstash token, which has no recognisable shape).
 */

const MASK = "[REDACTED]";

const secretFieldName =
  /^(authorization|password|pwd|secret|.*(token|secret|password|connectionstring|accountkey|apikey|signature|credential)s?|sig|x-functions-key)$/i;

const secretShapes: Array<[RegExp, string]> = [
  // Authorization: Bearer <token>
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${MASK}`],
  // Bare JWTs (Entra access tokens) anywhere in text.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // Connection-string keys: AccountKey=...; SharedAccessKey=...; Password=...
  [
    /\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret|InstrumentationKey)=([^;"'\s]+)/gi,
    `$1=${MASK}`,
  ],
  // SAS query parameters: ...&sig=<signature>
  [/([?&;]sig=)[^&\s"';]+/gi, `$1${MASK}`],
  // Function keys in URLs: ...?code=<key>
  [/([?&]code=)[^&\s"';]+/gi, `$1${MASK}`],
];

const knownSecrets = new Set<string>();

/** Registers a secret value (at least 8 characters) so any later occurrence in a log line is masked. */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 8) knownSecrets.add(value);
}

/** Masks every secret this module recognises in a piece of text. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join(MASK);
  for (const [pattern, replacement] of secretShapes) out = out.replace(pattern, replacement);
  return out;
}

/** Deep-copies a value for logging with secrets masked; Errors become `{ name, message, code }`. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[…]";
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: redactText(value.message), ...(code === undefined ? {} : { code }) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = secretFieldName.test(k) && v !== undefined && v !== null && v !== "" ? MASK : redact(v, depth + 1);
  }
  return out;
}
