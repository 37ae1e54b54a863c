/**
 * Secret redaction for log lines, with the payload sanitiser's rules (lib/security). Three nets,
 * because secrets arrive in three ways: a field whose name says it is secret, a value with a
 * recognisable shape (bearer token, JWT, connection-string key, SAS signature, secret query
 * parameter, password in a URL), and a value the app knows is secret (registered at start, such
 * as the Upstash token, which has no recognisable shape).
 */
import { isSecretName, redactionMarker, sanitisePayload, sanitiseText } from "../security/index.js";

const knownSecrets = new Set<string>();

/** Registers a secret value (at least 8 characters) so any later occurrence in a log line is masked. */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 8) knownSecrets.add(value);
}

/** Masks every secret this module recognises in a piece of text. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join(redactionMarker("known-secret"));
  return sanitiseText(out);
}

/**
 * Deep-copies a value for logging with secrets masked; Errors become `{ name, message, code }`.
 * A logged payload gets the payload rules too (settings named like secrets, secure parameters).
 */
export function redact(value: unknown): unknown {
  return sanitisePayload(copyForLog(value, 0));
}

function copyForLog(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[…]";
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: redactText(value.message), ...(code === undefined ? {} : { code }) };
  }
  if (Array.isArray(value)) return value.map((v) => copyForLog(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = isSecretName(k) && masked(v) ? redactionMarker("secret-field") : copyForLog(v, depth + 1);
  return out;
}

// A count or a flag under a secret-sounding name (`keys: 3`) says nothing secret; text and objects may.
function masked(v: unknown): boolean {
  return (typeof v === "string" && v !== "") || (typeof v === "object" && v !== null);
}
