/**
 * Which names say their value is secret: field names in payloads and log records, setting names
 * (`{ name, value }` pairs), connection-string parts and query parameters. Names are compared
 * without case and without `-`, `_`, `.`, `$` and spaces, so `Ocp-Apim-Subscription-Key`,
 * `APPINSIGHTS_INSTRUMENTATIONKEY` and `adminPassword` are all seen for what they are.
 */

/** Whole names that are secret although no suffix rule catches them. */
const EXACT = new Set(["authorization", "pwd", "passwd", "sig", "sas", "securevalue", "connstr"]);

/** A name ending in one of these is secret (`adminPassword`, `clientSecret`, `sasToken`, `primaryMasterKey`). */
const SUFFIX = /(password|passphrase|secrets?|token|connectionstring|signature|credentials?|keys?)$/;

/**
 * Names ending in "key" that are not secrets: what a key is for (public, partition, sort, ...) or
 * a reference to a key kept elsewhere (encryption, customer-managed). A bare `key` is a lookup key
 * (cache keys, `{ key, value }` tags), not a secret.
 */
const HARMLESS_KEY =
  /^(.*(public|partition|shard|sort|row|foreign|unique|routing|cache|lookup|group|idempotency|dedup|encryption|managed|vault|kek|cmk|ssh|hot|next|sequence|correlation))?keys?$/;

/** Query parameters that are secrets by name alone, on top of {@link isSecretName}. */
const QUERY = new Set(["code", "sig", "key", "apikey", "subscriptionkey"]);

/** The name as compared: lower case, without separators. */
export function foldName(name: string): string {
  return name.replace(/[-_.$\s]/g, "").toLowerCase();
}

/**
 * True when a field, setting or connection-string part of this name holds a secret: names ending
 * in password, secret, token, connectionString, signature, credential(s) or key(s) (except
 * harmless keys such as `publicKey`, `partitionKey`, a bare `key`), plus `Authorization`, `pwd`,
 * `sig`, `secureValue`. Names like `keyVaultId`, `keySource`, `keyName`, `tokenEndpoint`,
 * `passwordAuthentication` end otherwise and are not secret.
 */
export function isSecretName(name: string): boolean {
  const n = foldName(name);
  if (EXACT.has(n)) return true;
  if (!SUFFIX.test(n)) return false;
  return !((n.endsWith("key") || n.endsWith("keys")) && HARMLESS_KEY.test(n));
}

/** True when a URL query parameter of this name holds a secret (`code`, `sig`, `key`, `*-key`, and {@link isSecretName}). */
export function isSecretQueryName(name: string): boolean {
  return QUERY.has(foldName(name)) || isSecretName(name);
}
