/**
 * Monitoring: Prometheus and Loki collectors behind the resilience composition, query templates per
 * kind of resource with every value escaped, anomaly detection, health scores, bottlenecks and
 * error correlation along the dependency path. Routes call the four services at the bottom. See
 * docs/monitoring.md.
 */
export { activeAnomalies } from "./analysis/active-anomalies.js";
export { type Anomaly, type AnomalyKind } from "./analysis/anomaly.js";
export { type BottleneckCandidate, type BottleneckRanking, type PathResource, rankBottlenecks } from "./analysis/bottlenecks.js";
export { type AnomalyOptions, detectAnomalies } from "./analysis/detect-anomalies.js";
export { correlateErrors, type ErrorCorrelation, type ResourceErrorLog, type ResourceErrorSummary } from "./analysis/error-correlation.js";
export { type ErrorOnset, errorOnset, type ErrorOnsetOptions } from "./analysis/error-onset.js";
export {
  ANOMALY_FACTOR,
  assessHealth,
  type HealthAssessment,
  type HealthStatus,
  healthWeights,
  type SignalHealth,
} from "./analysis/health-score.js";
export { type SignalReading } from "./analysis/signal-reading.js";
export { MAD_TO_SIGMA, median, medianAbsoluteDeviation, noiseSigma } from "./analysis/stats.js";
export {
  checkThresholds,
  defaultThresholds,
  millisecondsToSeconds,
  type Threshold,
  type Thresholds,
  type ThresholdState,
  thresholdState,
} from "./analysis/thresholds.js";
export { InvalidTimeRangeError, isInvalidTimeRangeError } from "./errors/invalid-time-range-error.js";
export { isMonitoringNotConfiguredError, MonitoringNotConfiguredError } from "./errors/monitoring-not-configured-error.js";
export { isMonitoringQueryError, MonitoringQueryError } from "./errors/monitoring-query-error.js";
export { isMonitoringResponseError, MonitoringResponseError } from "./errors/monitoring-response-error.js";
export {
  isMonitoringUnavailableError,
  type MonitoringBackendName,
  MonitoringUnavailableError,
  type UnavailableReason,
} from "./errors/monitoring-unavailable-error.js";
export { isUnknownResourceError, UnknownResourceError } from "./errors/unknown-resource-error.js";
export { BackendClient, type BackendClientOptions, type BackendRequest, type FetchLike } from "./http/backend-client.js";
export { type BackendPolicy, backendPolicy, type BackendPolicyOptions } from "./http/backend-policy.js";
export { connectionCodeOf, isBackendFailure } from "./http/connection-failure.js";
export { HttpStatusError, isHttpStatusError } from "./http/http-status-error.js";
export { type ClassifiedError, classifyErrors } from "./loki/classify-errors.js";
export { correlationIdOf } from "./loki/correlation-id.js";
export { type ErrorType, errorTypeOf, type ErrorTypeRule, errorTypeRules } from "./loki/error-type.js";
export { type LogEntry, type LogQueryResult, type LogsQuerier, type LogWindow } from "./loki/log-entry.js";
export { isErrorLevel, levelOf, type LogLevel } from "./loki/log-level.js";
export { lineContains, lineContainsIgnoreCase, lineMatches, quoteLogqlString } from "./loki/logql.js";
export { LokiClient, type LokiClientOptions } from "./loki/loki-client.js";
export { type LabelMatcher, type MatchMode, renderMatcher, renderSelector } from "./prometheus/label-matchers.js";
export { PrometheusClient, type PrometheusClientOptions } from "./prometheus/prometheus-client.js";
export { isQuotable, quotePromqlString } from "./prometheus/promql-string.js";
export { escapeRegexLiteral } from "./prometheus/regex-literal.js";
export { parseSampleValue } from "./prometheus/sample-value.js";
export { type InstantSample, type MetricsQuerier, type Point, type RangeSeries, type RangeWindow } from "./prometheus/series.js";
export { bottlenecksFor, type PathBottlenecks } from "./services/bottlenecks-for.js";
export {
  type CollectorSettings,
  createCollectors,
  type CreateCollectorsOptions,
  type MonitoringCollectors,
  requireLoki,
  requirePrometheus,
} from "./services/collectors.js";
export { MAX_DEPTH, type MonitoringContext, type MonitoringRequest } from "./services/context.js";
export { ERROR_PREFILTER, errorsFor, type ErrorsRequest, type PathErrors } from "./services/errors-for.js";
export { healthFor, type ResourceHealth } from "./services/health-for.js";
export { metricsFor, type ResourceMetrics } from "./services/metrics-for.js";
export { readSignals, type ResourceSignals } from "./services/read-signals.js";
export { MAX_POINTS, MAX_SPAN_MS, resolveTimeRange, type TimeRange, type TimeRangeInput } from "./services/time-range.js";
export { defaultTemplates } from "./templates/default-templates.js";
export { loadQueryTemplates, queryTemplatesFromConfig, TEMPLATES_SETTING } from "./templates/load-templates.js";
export { type ChosenTemplate, templateFor } from "./templates/match-template.js";
export { logSelectorFor, matchersFor, promqlFor } from "./templates/render-queries.js";
export { type MonitoredResource } from "./templates/resource.js";
export { badDirection, type SignalName, SIGNALS } from "./templates/signals.js";
export {
  type QueryTemplate,
  type QueryTemplateInput,
  type QueryTemplates,
  queryTemplateSchema,
  type TemplateMatcher,
} from "./templates/template-schema.js";
export {
  type Dependency,
  type DependencyEdge,
  type DependencyLookup,
  dependencyLookupFromEdges,
  type DependencyLookupOptions,
} from "./topology/dependency-lookup.js";
export { type MonitoringTopology, type TopologyView, topologyView } from "./topology/monitoring-topology.js";
