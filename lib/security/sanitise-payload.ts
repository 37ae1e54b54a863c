import { isSecretName } from "./secret-names.js";
import { isMarker, redactionMarker, sanitiseText } from "./secret-text.js";

// Payloads repeat the same few thousand field names: judge each once.
const nameCache = new Map<string, boolean>();
function secretName(name: string): boolean {
  let known = nameCache.get(name);
  if (known === undefined) {
    known = isSecretName(name);
    if (nameCache.size < 20_000) nameCache.set(name, known);
  }
  return known;
}

const SECURE_TYPE = /^secure(string|object)$/i;
const ARM_ID = /^\/(subscriptions|providers|tenants)\//i;

/** The value of a field whose name says it is secret: what a shape rule finds, else all of it. */
function secretValue(value: string): string {
  if (value === "" || isMarker(value) || ARM_ID.test(value)) return value;
  // A connection string or URL keeps its host when a rule finds the secret inside it.
  if (value.includes("://") || (value.includes(";") && value.includes("="))) {
    const inner = sanitiseText(value);
    if (inner !== value) return inner;
  }
  return redactionMarker("secret-field");
}

/**
 * A deep copy of an ARM payload (any JSON value) with secrets replaced by markers; unchanged
 * branches are shared, not copied, and `value` itself is returned when nothing was found. Strings
 * go through {@link sanitiseText}; a string field whose name says it is secret (`primaryKey`,
 * `adminPassword`, `clientSecret`, `connectionString`, `sasToken`, `x-api-key`, ...) loses its
 * value; so do the `value` of a setting named like one (`{ "name": "DB_PASSWORD", "value": … }`),
 * of a `SecureString`/`SecureObject` parameter, and of the entries under a secret-named object
 * (Logic App `parameters.apiKey.value`). Object keys, `id` fields and ARM ids are never altered, so
 * edges read from the payload stay the same.
 */
export function sanitisePayload<T>(value: T): T {
  return walk(value, false) as T;
}

function walk(value: unknown, secretParent: boolean): unknown {
  if (typeof value === "string") return sanitiseText(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const s = walk(v, secretParent);
      if (s !== v) (out ??= value.slice())[i] = s;
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const secure = typeof obj.type === "string" && SECURE_TYPE.test(obj.type);
  // Only a string `value` beside the name can be a setting's secret: a resource's own (unique)
  // name is not judged, which was most of the sanitiser's time.
  const setting = typeof obj.name === "string" && typeof obj.value === "string" && secretName(obj.name);
  let out: Record<string, unknown> | undefined;
  for (const k in obj) {
    const v = obj[k];
    let s: unknown;
    const isValue = k === "value" || k === "defaultValue";
    if (k === "id") s = v;
    else if (isValue && secure && v !== null && v !== undefined && v !== "") s = redactionMarker("secure-parameter");
    else if (typeof v === "string") {
      if (secretName(k)) s = secretValue(v);
      else if (isValue && secretParent) s = secretValue(v);
      else if (k === "value" && setting) s = v === "" || isMarker(v) ? v : redactionMarker("secret-setting");
      else s = sanitiseText(v);
    } else if (v !== null && typeof v === "object" && secretName(k)) {
      s = Array.isArray(v) ? v.map((e) => (typeof e === "string" ? secretValue(e) : walk(e, true))) : walk(v, true);
    } else s = walk(v, false);
    if (s !== v) (out ??= { ...obj })[k] = s;
  }
  return out ?? obj;
}
