/** An answer that was not 2xx: the problem+json detail when there is one. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Bytes of JSON fetched so far (the benchmark reads it). */
export let bytesFetched = 0;

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  bytesFetched += text.length;
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
    } catch {
      // not problem+json: keep the status line
    }
    throw new ApiError(response.status, detail);
  }
  return JSON.parse(text) as T;
}

/** Query parameters: a list repeats its parameter; empty values are left out. */
export type Params = Record<string, string | number | readonly string[] | undefined>;

/** The API's URL for `path` with `params` (empty values left out). */
export function apiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const one of v as readonly string[]) q.append(k, one);
    else if (v !== undefined && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return `/api/${path}${s ? `?${s}` : ""}`;
}

/** GET a JSON answer. */
export async function getJson<T>(path: string, params: Params = {}): Promise<T> {
  return answer<T>(await fetch(apiUrl(path, params), { headers: { accept: "application/json" } }));
}

/** POST a JSON body (or none) and read the JSON answer. */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit =
    body === undefined
      ? { method: "POST" }
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  return answer<T>(await fetch(apiUrl(path), init));
}
