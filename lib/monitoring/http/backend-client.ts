import { isBrokenCircuitError } from "../../resilience/errors/broken-circuit-error.js";
import { isRateLimitedError } from "../../resilience/errors/rate-limited-error.js";
import { isTimeoutError } from "../../resilience/errors/timeout-error.js";
import { MonitoringQueryError } from "../errors/monitoring-query-error.js";
import { MonitoringResponseError } from "../errors/monitoring-response-error.js";
import { type MonitoringBackendName, MonitoringUnavailableError } from "../errors/monitoring-unavailable-error.js";
import { type BackendPolicy, backendPolicy } from "./backend-policy.js";
import { connectionCodeOf } from "./connection-failure.js";
import { HttpStatusError, isHttpStatusError } from "./http-status-error.js";

/** The slice of `fetch` the clients use; tests may pass a counting wrapper. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link BackendClient}. */
export interface BackendClientOptions {
  backend: MonitoringBackendName;
  /** Base URL of the backend, e.g. `http://prometheus:9090`; a path prefix is kept. */
  baseUrl: string;
  /** The resilience composition. @default backendPolicy() */
  policy?: BackendPolicy;
  /** Extra headers on every request (a tenant header, an API key). @default {} */
  headers?: Record<string, string>;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
}

/** One request to a backend: path below the base URL, parameters, method. */
export interface BackendRequest {
  path: string;
  params: URLSearchParams;
  /** POST sends the parameters form-encoded (Prometheus accepts it; long queries fit). @default "GET" */
  method?: "GET" | "POST";
  /** The caller's signal. */
  signal?: AbortSignal;
  /** The query, for error messages. */
  query: string;
}

const BODY_LIMIT = 2_000;

/**
 * JSON over HTTP to one monitoring backend, through the resilience composition (breaker key per
 * endpoint), with failures translated to {@link MonitoringUnavailableError} (the backend cannot
 * answer) or {@link MonitoringQueryError} (it refused the query).
 */
export class BackendClient {
  readonly backend: MonitoringBackendName;
  readonly baseUrl: string;
  /** The breakers of this backend, one per endpoint; to read or save their state. */
  readonly policy: BackendPolicy;
  private readonly headers: Record<string, string>;
  private readonly fetch: FetchLike;

  constructor(options: BackendClientOptions) {
    this.backend = options.backend;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.policy = options.policy ?? backendPolicy();
    this.headers = options.headers ?? {};
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** The full URL of an endpoint; also its breaker key. */
  endpoint(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /**
   * Sends the request and returns the parsed JSON body of a 2xx answer.
   * @throws MonitoringUnavailableError, MonitoringQueryError; the signal's reason when aborted.
   */
  async requestJson(request: BackendRequest): Promise<unknown> {
    const endpoint = this.endpoint(request.path);
    try {
      return await this.policy.policy.execute(({ signal }) => this.send(endpoint, request, signal), {
        key: `${this.backend} ${endpoint}`,
        ...(request.signal && { signal: request.signal }),
      });
    } catch (e) {
      throw this.translate(e, endpoint, request);
    }
  }

  private async send(endpoint: string, request: BackendRequest, signal: AbortSignal): Promise<unknown> {
    const post = request.method === "POST";
    const url = post ? endpoint : `${endpoint}?${request.params.toString()}`;
    const headers: Record<string, string> = { accept: "application/json", ...this.headers };
    if (post) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await this.fetch(url, {
      method: post ? "POST" : "GET",
      headers,
      ...(post && { body: request.params.toString() }),
      signal,
    });
    const text = await response.text();
    if (!response.ok) throw new HttpStatusError(response.status, response.headers, text.slice(0, BODY_LIMIT), endpoint);
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new MonitoringResponseError(this.backend, endpoint, `not JSON: ${JSON.stringify(text.slice(0, 200))}`, { cause: e });
    }
  }

  private translate(e: unknown, endpoint: string, request: BackendRequest): unknown {
    // The caller gave up: its reason, unchanged, is the answer.
    if (request.signal?.aborted) return e;
    const unavailable = (reason: ConstructorParameters<typeof MonitoringUnavailableError>[2], retryAfterMs = 0): Error =>
      new MonitoringUnavailableError(this.backend, endpoint, reason, retryAfterMs, { cause: e });
    if (isBrokenCircuitError(e)) return unavailable("circuit-open", e.retryAfterMs);
    if (isTimeoutError(e)) return unavailable("timeout");
    if (isRateLimitedError(e)) return unavailable("rate-limited");
    if (isHttpStatusError(e)) {
      if (e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) return this.refusal(e, request.query);
      return unavailable("server-error");
    }
    // fetch rejects every network failure as TypeError("fetch failed"), the socket error in `cause`.
    if (connectionCodeOf(e) !== undefined || (e instanceof TypeError && e.message === "fetch failed")) return unavailable("unreachable");
    return e;
  }

  private refusal(e: HttpStatusError, query: string): MonitoringQueryError {
    let errorType = "http";
    let detail = e.body.trim() || `HTTP ${e.status}`;
    try {
      const body = JSON.parse(e.body) as { errorType?: unknown; error?: unknown; message?: unknown };
      if (typeof body.errorType === "string") errorType = body.errorType;
      if (typeof body.error === "string") detail = body.error;
      else if (typeof body.message === "string") detail = body.message;
    } catch {
      // Loki answers parse errors as plain text: keep the body as the detail.
    }
    return new MonitoringQueryError(this.backend, e.status, errorType, detail, query);
  }
}
