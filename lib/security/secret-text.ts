import { isSecretName, isSecretQueryName } from "./secret-names.js";

/** What a marker says was removed. */
export type SecretKind =
  | "sas-signature"
  | "query-secret"
  | "connection-string-secret"
  | "url-password"
  | "header-secret"
  | "bearer-token"
  | "jwt"
  | "private-key"
  | "secret-field"
  | "secret-setting"
  | "secure-parameter"
  | "known-secret";

/** The text that stands where a secret was: `[redacted:<kind>]`. */
export function redactionMarker(kind: SecretKind): string {
  return `[redacted:${kind}]`;
}

/** True for a value that is already nothing but a marker. */
export function isMarker(value: string): boolean {
  return value.startsWith("[redacted:") && value.endsWith("]") && value.indexOf("]") === value.length - 1;
}

// Most strings in a payload (ids, names, locations, dates) hold none of these, and skip every rule.
const MAYBE_SECRET = /[=@]|eyJ|["']\s*:|bearer|-----BEGIN|authorization|api-key|subscription-key|functions-key/i;

const NOT_MARKER = String.raw`(?!\[redacted:)`;

const PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
// scheme://user:password@host — the user stays, the password goes.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:"']*):([^\s/?#@"']+)@/gi;
// ?name=value / &name=value in a URL.
const QUERY_PAIR = /([?&])([^=&#?\s"'<>]+)=([^&#\s"'<>]*)/g;
// name=value after the start, `;`, `,`, space, a quote or a bracket: connection strings, logfmt.
// A comma ends the value only when another name= follows (Redis: `host:6380,password=…,ssl=True`).
const PAIR = /(^|[;,\s"'{(])([A-Za-z][\w.-]*)(\s*=\s*)((?:[^;\s"',]|,(?![\w.-]+=))*)/g;
// "name": "value" inside text (a JSON log line, a payload that embeds JSON).
const JSON_PAIR = /"([^"\\]{1,100})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const SCHEMES = "Basic|Bearer|SharedAccessSignature|SharedKey|Key";
// {"name": "DB_PASSWORD", "value": "…"} inside text: a setting named like a secret.
const JSON_SETTING = /"name"(\s*:\s*)"([^"\\]{1,100})"(\s*,\s*)"value"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const HEADER = new RegExp(
  String.raw`\b(authorization|proxy-authorization|x-api-key|api-key|ocp-apim-subscription-key|x-functions-key)(["']?\s*:\s*["']?)((?:(?:${SCHEMES})\s+)?)${NOT_MARKER}(?!(?:${SCHEMES})\s)([^\s"',;]+)`,
  "gi",
);
const BEARER = new RegExp(String.raw`\b(Bearer)\s+${NOT_MARKER}[A-Za-z0-9\-._~+/]+=*`, "gi");
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/**
 * Replaces what looks like a secret inside a piece of text by a marker saying what it was, and
 * keeps the rest: connection-string keys and passwords (`AccountKey=`, `SharedAccessKey=`,
 * `Password=`, `InstrumentationKey=`, ...), secret query parameters (`sig=`, `code=`, `key=`,
 * `token=`, `access_token=`, `api_key=`, `client_secret=`, `x-api-key=`, ...), passwords in URLs,
 * secret headers, bearer tokens, JWTs, PEM private keys, and secret-named fields of embedded JSON.
 * So `https://app.azurewebsites.net/api/hook?code=abc` becomes
 * `https://app.azurewebsites.net/api/hook?code=[redacted:query-secret]`.
 * Warning: pattern-based; a secret with no recognisable shape or name passes through.
 */
export function sanitiseText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  return text
    .replace(PRIVATE_KEY, redactionMarker("private-key"))
    .replace(URL_PASSWORD, (_m, scheme: string, user: string) => `${scheme}${user}:${redactionMarker("url-password")}@`)
    .replace(QUERY_PAIR, (m, sep: string, name: string, value: string) =>
      value === "" || !isSecretQueryName(safeDecode(name))
        ? m
        : `${sep}${name}=${redactionMarker(name.toLowerCase() === "sig" ? "sas-signature" : "query-secret")}`,
    )
    .replace(PAIR, (m, sep: string, name: string, eq: string, value: string) =>
      value === "" || !isSecretName(name) ? m : `${sep}${name}${eq}${redactionMarker("connection-string-secret")}`,
    )
    .replace(JSON_PAIR, (m, name: string, colon: string, value: string) =>
      value === "" || isMarker(value) || !isSecretName(name) ? m : `"${name}"${colon}"${redactionMarker("secret-field")}"`,
    )
    .replace(JSON_SETTING, (m, c1: string, name: string, comma: string, c2: string, value: string) =>
      value === "" || isMarker(value) || !isSecretName(name)
        ? m
        : `"name"${c1}"${name}"${comma}"value"${c2}"${redactionMarker("secret-setting")}"`,
    )
    .replace(HEADER, (_m, name: string, sep: string, scheme: string) => `${name}${sep}${scheme}${redactionMarker("header-secret")}`)
    .replace(BEARER, (_m, word: string) => `${word} ${redactionMarker("bearer-token")}`)
    .replace(JWT, redactionMarker("jwt"));
}

function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
