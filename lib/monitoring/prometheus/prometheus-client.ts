import { MonitoringQueryError } from "../errors/monitoring-query-error.js";
import { MonitoringResponseError } from "../errors/monitoring-response-error.js";
import { BackendClient, type BackendClientOptions } from "../http/backend-client.js";
import { type PrometheusSuccess, prometheusSuccessSchema } from "./response-schema.js";
import type { InstantSample, MetricsQuerier, RangeSeries, RangeWindow } from "./series.js";

/** Options of {@link PrometheusClient}. */
export type PrometheusClientOptions = Omit<BackendClientOptions, "backend">;

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * Instant and range queries over the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`),
 * sent as form-encoded POSTs (no URL length limit for long selectors) through the resilience
 * composition, with one breaker per endpoint.
 */
export class PrometheusClient implements MetricsQuerier {
  /** The HTTP side: base URL, policy and breakers. */
  readonly http: BackendClient;

  constructor(options: PrometheusClientOptions) {
    this.http = new BackendClient({ ...options, backend: "prometheus" });
  }

  /**
   * Series of `promql` from `startMs` to `endMs` every `stepSeconds`.
   * @throws MonitoringUnavailableError, MonitoringQueryError, MonitoringResponseError.
   */
  async queryRange(promql: string, window: RangeWindow, signal?: AbortSignal): Promise<RangeSeries[]> {
    const params = new URLSearchParams({
      query: promql,
      start: seconds(window.startMs),
      end: seconds(window.endMs),
      step: String(window.stepSeconds),
    });
    const data = await this.send("/api/v1/query_range", params, promql, signal);
    if (data.resultType !== "matrix") throw this.unexpected("/api/v1/query_range", `resultType ${data.resultType}, expected matrix`);
    return data.result.map((s) => ({ labels: s.metric, points: s.values }));
  }

  /**
   * Samples of `promql` at `atMs` (the server's now when omitted). A scalar is one sample without labels.
   * @throws MonitoringUnavailableError, MonitoringQueryError, MonitoringResponseError.
   */
  async query(promql: string, atMs?: number, signal?: AbortSignal): Promise<InstantSample[]> {
    const params = new URLSearchParams({ query: promql });
    if (atMs !== undefined) params.set("time", seconds(atMs));
    const data = await this.send("/api/v1/query", params, promql, signal);
    switch (data.resultType) {
      case "vector":
        return data.result.map((s) => ({ labels: s.metric, timeMs: s.value.timeMs, value: s.value.value }));
      case "scalar":
        return [{ labels: {}, timeMs: data.result.timeMs, value: data.result.value }];
      default:
        throw this.unexpected("/api/v1/query", `resultType ${data.resultType}, expected vector or scalar`);
    }
  }

  private async send(path: string, params: URLSearchParams, query: string, signal?: AbortSignal): Promise<PrometheusSuccess["data"]> {
    const body = await this.http.requestJson({ path, params, method: "POST", query, ...(signal && { signal }) });
    const failed = body as { status?: unknown; errorType?: unknown; error?: unknown };
    if (failed.status === "error") {
      const text = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);
      throw new MonitoringQueryError("prometheus", 200, text(failed.errorType, "unknown"), text(failed.error, ""), query);
    }
    const parsed = prometheusSuccessSchema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw this.unexpected(path, first ? `${first.path.join(".")}: ${first.message}` : "invalid body", parsed.error);
    }
    return parsed.data.data;
  }

  private unexpected(path: string, issues: string, cause?: unknown): MonitoringResponseError {
    return new MonitoringResponseError("prometheus", this.http.endpoint(path), issues, { cause });
  }
}
