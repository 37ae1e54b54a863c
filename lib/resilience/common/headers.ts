/**
 * Response headers as the clients we meet expose them: a `get(name)` method (fetch `Headers`,
 * core-rest-pipeline `HttpHeaders`) or a plain record (Node `IncomingHttpHeaders`).
 */
export type HeaderSource =
  { get(name: string): string | null | undefined } | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** One header's value, looked up case-insensitively; the first value when repeated. */
export function headerValue(headers: HeaderSource | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    const v = (headers as { get(name: string): string | null | undefined }).get(name);
    return v ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | number | undefined>>;
  const wanted = name.toLowerCase();
  for (const [key, v] of Object.entries(record)) {
    if (key.toLowerCase() !== wanted || v === undefined) continue;
    return Array.isArray(v) ? (v as readonly string[])[0] : String(v);
  }
  return undefined;
}

/**
 * The response headers an error carries: core-rest-pipeline's `RestError.response.headers`,
 * or a `headers` property of its own.
 */
export function headersOf(e: unknown): HeaderSource | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const response = (e as { response?: { headers?: unknown } }).response;
  const headers = response?.headers ?? (e as { headers?: unknown }).headers;
  return typeof headers === "object" && headers !== null ? (headers as HeaderSource) : undefined;
}

/** The HTTP status an error carries: `statusCode` (RestError), `status`, or `response.status`. */
export function statusOf(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const o = e as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [o.statusCode, o.status, o.response?.status]) {
    if (typeof v === "number" && Number.isInteger(v)) return v;
  }
  return undefined;
}
