import type { Config } from "../../config/index.js";
import type { CircuitStateName } from "../../resilience/breaker/circuit-breaker.js";
import type { ClockOptions } from "../../resilience/common/clock.js";
import { MonitoringNotConfiguredError } from "../errors/monitoring-not-configured-error.js";
import type { FetchLike } from "../http/backend-client.js";
import { backendPolicy } from "../http/backend-policy.js";
import type { LogsQuerier } from "../loki/log-entry.js";
import { LokiClient } from "../loki/loki-client.js";
import { PrometheusClient } from "../prometheus/prometheus-client.js";
import type { MetricsQuerier } from "../prometheus/series.js";

/** The monitoring backends; one left out means its setting is unset. */
export interface MonitoringCollectors {
  prometheus?: MetricsQuerier;
  loki?: LogsQuerier;
}

/** The settings the collectors are built from. */
export type CollectorSettings = Pick<Config, "PROMETHEUS_URL" | "LOKI_URL" | "MONITORING_TIMEOUT_MS"> &
  Partial<Pick<Config, "PROMETHEUS_AUTH" | "LOKI_AUTH">>;

/** Options of {@link createCollectors}. */
export interface CreateCollectorsOptions extends ClockOptions {
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** Told of breaker transitions (key `prometheus <url>` / `loki <url>`), for logs. */
  onStateChange?: (key: string, state: CircuitStateName) => void;
}

/**
 * The clients for the configured backends, each with its own resilience composition (rate limit,
 * a breaker per endpoint, retry, MONITORING_TIMEOUT_MS per request). Create them once, at module
 * scope, and share them: the breakers only protect callers that share them.
 */
export function createCollectors(
  settings: CollectorSettings,
  options: CreateCollectorsOptions = {},
): { prometheus?: PrometheusClient; loki?: LokiClient } {
  const { fetch, onStateChange, ...clock } = options;
  const policy = () =>
    backendPolicy({ ...clock, attemptTimeoutMs: settings.MONITORING_TIMEOUT_MS, ...(onStateChange && { onStateChange }) });
  const shared = { ...(fetch && { fetch }) };
  // PROMETHEUS_AUTH / LOKI_AUTH arrive as the Authorization header value (lib/config).
  const auth = (value: string | undefined) => (value === undefined ? {} : { headers: { authorization: value } });
  return {
    ...(settings.PROMETHEUS_URL !== undefined && {
      prometheus: new PrometheusClient({
        baseUrl: settings.PROMETHEUS_URL,
        policy: policy(),
        ...shared,
        ...auth(settings.PROMETHEUS_AUTH),
      }),
    }),
    ...(settings.LOKI_URL !== undefined && {
      loki: new LokiClient({ baseUrl: settings.LOKI_URL, policy: policy(), ...shared, ...auth(settings.LOKI_AUTH) }),
    }),
  };
}

/** The Prometheus collector. @throws MonitoringNotConfiguredError naming PROMETHEUS_URL. */
export function requirePrometheus(collectors: MonitoringCollectors, what: string): MetricsQuerier {
  if (collectors.prometheus === undefined) throw new MonitoringNotConfiguredError("PROMETHEUS_URL", what);
  return collectors.prometheus;
}

/** The Loki collector. @throws MonitoringNotConfiguredError naming LOKI_URL. */
export function requireLoki(collectors: MonitoringCollectors, what: string): LogsQuerier {
  if (collectors.loki === undefined) throw new MonitoringNotConfiguredError("LOKI_URL", what);
  return collectors.loki;
}
