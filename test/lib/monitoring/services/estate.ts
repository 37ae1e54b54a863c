// A small estate with a known incident, for the services' integration tests: the topology, the
// metric history Prometheus is backfilled with, and the Loki streams.
//
//   shop-fd (Front Door) → shop-web (App Service) → orders (SQL database) → shop-sql (server)
//                                                 → shop-cache (Redis)
//                                                 → shop-kv (Key Vault, no template)
//                                                 ⇢ shop-logs (monitoring edge: not a dependency)
//   shop-aks (AKS cluster, namespace checkout): steady.
//
// At INCIDENT the database's latency and CPU jump; two minutes later the web app's latency, three
// minutes later its 5xx and the Front Door's latency and failures. Exporters write ARM ids in their
// own casing, so the `resource_id` labels are not the canonical keys.
import type { MonitoringTopology } from "../../../../lib/monitoring/topology/monitoring-topology.js";
import type { LokiFixtureStream } from "../../../support/loki.js";
import type { MetricFamily, SeriesHistory } from "../../../support/prometheus.js";
import { normalNoise } from "../analysis/series.js";

export const MINUTE = 60_000;
/** The last sample, two minutes before the suite started, on a whole minute. */
export const END = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
export const HISTORY_START = END - 180 * MINUTE;
export const INCIDENT = END - 40 * MINUTE;

const sub = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/Shop/providers";
export const ids = {
  gw: `${sub}/Microsoft.Network/frontDoors/shop-fd`,
  web: `${sub}/Microsoft.Web/sites/shop-web`,
  db: `${sub}/Microsoft.Sql/servers/shop-sql/databases/orders`,
  server: `${sub}/Microsoft.Sql/servers/shop-sql`,
  cache: `${sub}/Microsoft.Cache/Redis/shop-cache`,
  kv: `${sub}/Microsoft.KeyVault/vaults/shop-kv`,
  logs: `${sub}/Microsoft.OperationalInsights/workspaces/shop-logs`,
  aks: `${sub}/Microsoft.ContainerService/managedClusters/shop-aks`,
} as const;
export const keys = Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.toLowerCase()])) as Record<keyof typeof ids, string>;

const types: Record<keyof typeof ids, string> = {
  gw: "Microsoft.Network/frontDoors",
  web: "Microsoft.Web/sites",
  db: "Microsoft.Sql/servers/databases",
  server: "Microsoft.Sql/servers",
  cache: "Microsoft.Cache/Redis",
  kv: "Microsoft.KeyVault/vaults",
  logs: "Microsoft.OperationalInsights/workspaces",
  aks: "Microsoft.ContainerService/managedClusters",
};

/** The estate's topology, as an export would carry it. */
export const topology: MonitoringTopology = {
  resources: (Object.keys(ids) as Array<keyof typeof ids>).map((n) => ({
    key: keys[n],
    id: ids[n],
    type: types[n],
    name: ids[n].split("/").pop()!,
    ...(n === "aks" && { tags: { "topdeck.namespace": "checkout" } }),
  })),
  edges: [
    { from: keys.gw, to: keys.web, relation: "network" },
    { from: keys.web, to: keys.db, relation: "data" },
    { from: keys.web, to: keys.cache, relation: "data" },
    { from: keys.web, to: keys.kv, relation: "reference" },
    { from: keys.web, to: keys.logs, relation: "monitoring" },
    { from: keys.db, to: keys.server, relation: "contains" },
  ],
};

const minutes = Array.from({ length: (END - HISTORY_START) / MINUTE + 1 }, (_, i) => HISTORY_START + i * MINUTE);

/** A gauge: `before` until `from`, then `after`, with relative noise. */
function gauge(labels: Record<string, string>, before: number, after: number, from: number, seed: number, noise = 0.03): SeriesHistory {
  const n = normalNoise(seed);
  return { labels, samples: minutes.map((t) => [t, (t >= from ? after : before) * (1 + noise * n())] as const) };
}

/** A counter growing by `perMinute` until `from`, then by `perMinuteAfter`. */
function counter(labels: Record<string, string>, perMinute: number, perMinuteAfter: number, from: number): SeriesHistory {
  let total = 0;
  return { labels, samples: minutes.map((t) => [t, (total += t >= from ? perMinuteAfter : perMinute)] as const) };
}

const never = Number.POSITIVE_INFINITY;

/** The metric history, by family. */
export function history(): MetricFamily[] {
  const id = (n: keyof typeof ids) => ({ resource_id: ids[n] });
  const pod = { cluster: "shop-aks", namespace: "checkout" };
  return [
    {
      name: "azure_database_query_duration_seconds",
      series: [gauge(id("db"), 0.02, 0.35, INCIDENT, 1), gauge(id("cache"), 0.001, 0.001, never, 2)],
    },
    { name: "azure_database_cpu_percent", series: [gauge(id("db"), 40, 92, INCIDENT, 3), gauge(id("cache"), 10, 10, never, 4)] },
    { name: "azure_database_memory_percent", series: [gauge(id("db"), 50, 50, never, 5), gauge(id("cache"), 20, 20, never, 6)] },
    { name: "azure_database_requests_total", series: [counter(id("db"), 6000, 6000, never), counter(id("cache"), 12000, 12000, never)] },
    { name: "azure_database_failed_requests_total", series: [counter(id("db"), 0, 180, INCIDENT), counter(id("cache"), 0, 0, never)] },
    { name: "azure_appservice_response_time_seconds", series: [gauge(id("web"), 0.12, 0.9, INCIDENT + 2 * MINUTE, 7)] },
    { name: "azure_appservice_cpu_ratio", series: [gauge(id("web"), 0.3, 0.3, never, 8)] },
    { name: "azure_appservice_memory_ratio", series: [gauge(id("web"), 0.5, 0.5, never, 9)] },
    { name: "azure_appservice_requests_total", series: [counter(id("web"), 36000, 36000, never)] },
    { name: "azure_appservice_http5xx_total", series: [counter(id("web"), 0, 720, INCIDENT + 3 * MINUTE)] },
    { name: "azure_gateway_backend_response_seconds", series: [gauge(id("gw"), 0.15, 1.0, INCIDENT + 3 * MINUTE, 10)] },
    { name: "azure_gateway_requests_total", series: [counter(id("gw"), 60000, 60000, never)] },
    { name: "azure_gateway_failed_requests_total", series: [counter(id("gw"), 0, 300, INCIDENT + 3 * MINUTE)] },
    { name: "azure_gateway_capacity_ratio", series: [gauge(id("gw"), 0.2, 0.2, never, 11)] },
    {
      name: "http_requests_total",
      series: [counter({ ...pod, code: "200" }, 594 * 60, 594 * 60, never), counter({ ...pod, code: "500" }, 6 * 60, 6 * 60, never)],
    },
    {
      name: "http_request_duration_seconds_bucket",
      series: [
        counter({ ...pod, le: "0.1" }, 500 * 60, 500 * 60, never),
        counter({ ...pod, le: "0.25" }, 570 * 60, 570 * 60, never),
        counter({ ...pod, le: "0.5" }, 594 * 60, 594 * 60, never),
        counter({ ...pod, le: "+Inf" }, 600 * 60, 600 * 60, never),
      ],
    },
    { name: "container_cpu_usage_seconds_total", series: [counter(pod, 0.6 * 60, 0.6 * 60, never)] },
    { name: "container_memory_working_set_bytes", series: [gauge(pod, 1e9, 1e9, never, 12, 0.01)] },
    {
      name: "kube_pod_container_resource_limits",
      series: [gauge({ ...pod, resource: "cpu" }, 2, 2, never, 13, 0), gauge({ ...pod, resource: "memory" }, 4e9, 4e9, never, 14, 0)],
    },
  ];
}

/** The correlation id of the k-th failed request. */
export const requestId = (k: number): string => `req-${String(k).padStart(4, "0")}`;

/**
 * Loki streams: the database fails first, then the web app, then the Front Door. Request k fails
 * on the database at INCIDENT + k minutes + 5 s, then on the web app a second later, then on the
 * Front Door (from the third minute on).
 */
export function logStreams(): LokiFixtureStream[] {
  const every = (from: number, to: number, stepMs: number, line: (i: number) => string): Array<[number, string]> => {
    const out: Array<[number, string]> = [];
    for (let t = from, i = 0; t < to; t += stepMs, i++) out.push([t, line(i)]);
    return out;
  };
  const stream = (n: keyof typeof ids, entries: Array<[number, string]>): LokiFixtureStream => ({
    labels: { resource_id: ids[n], job: n },
    entries,
  });
  return [
    stream("db", [
      ...every(HISTORY_START, END, 5 * MINUTE, () => '{"level":"info","msg":"checkpoint complete"}'),
      ...every(
        INCIDENT + 5_000,
        END,
        MINUTE,
        (i) => `{"level":"error","msg":"Transaction was deadlocked on lock resources","correlationId":"${requestId(i)}"}`,
      ),
    ]),
    stream("web", [
      ...every(HISTORY_START, END, 5 * MINUTE, () => 'level=info msg="GET /health 200"'),
      [INCIDENT - 30 * MINUTE, 'level=warn msg="slow request"'],
      ...every(
        INCIDENT + 2 * MINUTE + 6_000,
        END,
        MINUTE,
        (i) => `level=error msg="query failed: timeout expired" correlationId=${requestId(i + 2)}`,
      ),
    ]),
    stream("gw", [
      ...every(INCIDENT + 3 * MINUTE + 7_000, END, MINUTE, (i) => `ERROR upstream answered status=502 correlationId=${requestId(i + 3)}`),
    ]),
    stream(
      "cache",
      every(HISTORY_START, END, 10 * MINUTE, () => "INFO keyspace ok"),
    ),
  ];
}
