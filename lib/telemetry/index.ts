// Telemetry through the OpenTelemetry API (tracer and meter `topdeck`): spans for discovery, and
// the app's metrics. Nothing here loads an SDK: the Functions worker (telemetryMode OpenTelemetry)
// or startTelemetry() provides one, and without one every call is a no-op.
import type { TokenCredential } from "@azure/core-auth";
import {
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  type Span,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

/** The instrumentation scope of TopDeck's spans and metrics. */
export const TELEMETRY_SCOPE = "topdeck";

/** Metric names, for dashboards and tests. */
export const metricNames = {
  resourcesDiscovered: "topdeck.discovery.resources",
  throttles: "topdeck.arm.throttles",
  retries: "topdeck.arm.retries",
  runDuration: "topdeck.discovery.run.duration",
  cacheHits: "topdeck.cache.hits",
  cacheMisses: "topdeck.cache.misses",
  cacheHitRatio: "topdeck.cache.hit_ratio",
} as const;

/**
 * Runs `fn` inside an active span `name` of tracer `topdeck`: the span ends when `fn` settles, and
 * an error thrown by `fn` is recorded on it (status ERROR) and rethrown.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer(TELEMETRY_SCOPE).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

interface Instruments {
  provider: MeterProvider;
  resources: Counter;
  throttles: Counter;
  retries: Counter;
  runDuration: Histogram;
  cacheHits: Counter;
  cacheMisses: Counter;
}

let instruments: Instruments | undefined;
const cacheTotals = { hits: 0, misses: 0 };

// The metrics API has no proxy provider: instruments made before the SDK registers would stay
// no-ops, so they are made (again) for whichever meter provider is global when first used.
function current(): Instruments {
  const provider = metrics.getMeterProvider();
  if (instruments?.provider === provider) return instruments;
  const meter = provider.getMeter(TELEMETRY_SCOPE);
  instruments = {
    provider,
    resources: meter.createCounter(metricNames.resourcesDiscovered, { description: "Resources discovered by runs" }),
    throttles: meter.createCounter(metricNames.throttles, { description: "ARM answers of 429 (throttled)" }),
    retries: meter.createCounter(metricNames.retries, { description: "ARM requests retried" }),
    runDuration: meter.createHistogram(metricNames.runDuration, { description: "Discovery run duration", unit: "ms" }),
    cacheHits: meter.createCounter(metricNames.cacheHits, { description: "Query cache hits" }),
    cacheMisses: meter.createCounter(metricNames.cacheMisses, { description: "Query cache misses" }),
  };
  meter
    .createObservableGauge(metricNames.cacheHitRatio, { description: "Query cache hits / lookups since start", unit: "1" })
    .addCallback((result) => {
      const lookups = cacheTotals.hits + cacheTotals.misses;
      if (lookups > 0) result.observe(cacheTotals.hits / lookups);
    });
  return instruments;
}

/** What one finished discovery run adds to the metrics. */
export interface RunFigures {
  durationMs: number;
  resources: number;
  throttled: number;
  retries: number;
  /** "succeeded" when the run recorded no errors, else "partial". */
  outcome: string;
}

/** Records a finished discovery run: resources, throttles, retries and its duration. */
export function recordRun(figures: RunFigures): void {
  const m = current();
  const attributes = { "topdeck.run.outcome": figures.outcome };
  m.resources.add(figures.resources, attributes);
  m.throttles.add(figures.throttled, attributes);
  m.retries.add(figures.retries, attributes);
  m.runDuration.record(figures.durationMs, attributes);
}

/** Records one query cache lookup; the hit ratio gauge is hits over lookups since start. */
export function recordCacheLookup(hit: boolean): void {
  const m = current();
  if (hit) {
    cacheTotals.hits += 1;
    m.cacheHits.add(1);
  } else {
    cacheTotals.misses += 1;
    m.cacheMisses.add(1);
  }
}

/** Zeroes the cache totals behind the hit ratio gauge (tests). */
export function resetTelemetryTotals(): void {
  cacheTotals.hits = 0;
  cacheTotals.misses = 0;
}

let started: Promise<boolean> | undefined;

/** The credential the exporter authenticates with. */
export type TelemetryCredential = TokenCredential;

/** Options of {@link startTelemetry}. */
export interface StartTelemetryOptions {
  /**
   * Makes the credential the exporter sends telemetry with. @default the app's managed identity:
   * ManagedIdentityCredential with the client id of APPLICATIONINSIGHTS_AUTHENTICATION_STRING or
   * AZURE_CLIENT_ID, else DefaultAzureCredential (loaded only when telemetry starts)
   */
  credential?: (env: NodeJS.ProcessEnv) => Promise<TelemetryCredential>;
}

// In its own module, loaded only when telemetry starts: the identity package is a heavy import.
const managedIdentity = async (env: NodeJS.ProcessEnv): Promise<TelemetryCredential> =>
  (await import("./credential.js")).appCredential(env);

/**
 * Starts @azure/monitor-opentelemetry when APPLICATIONINSIGHTS_CONNECTION_STRING is set, once per
 * process; resolves whether it started. The exporter authenticates with Microsoft Entra ID (the
 * app's managed identity by default): infra turns local auth off on Application Insights, so
 * telemetry sent with the instrumentation key alone is refused. The package and the credential
 * are loaded by dynamic imports, so a start without the setting loads none of them.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env, options: StartTelemetryOptions = {}): Promise<boolean> {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString) return Promise.resolve(false);
  started ??= (async () => {
    const credential = await (options.credential ?? managedIdentity)(env);
    const { useAzureMonitor } = await import("@azure/monitor-opentelemetry");
    useAzureMonitor({ azureMonitorExporterOptions: { connectionString, credential } });
    return true;
  })();
  return started;
}
