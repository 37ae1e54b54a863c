import type { QueryTemplateInput } from "./template-schema.js";

const byId = [{ label: "resource_id", from: "key", match: "ignore-case" }] as const satisfies QueryTemplateInput["matchers"];

/**
 * The query templates TopDeck ships, as data (docs/monitoring.md lists the metrics they expect).
 * Azure resources are selected by a `resource_id` label holding the ARM id, compared ignoring case;
 * AKS clusters by the `cluster` label (and `namespace` when the cluster has a `topdeck.namespace`
 * tag). Override or extend them with the MONITORING_QUERY_TEMPLATES setting.
 */
export const defaultTemplates: Readonly<Record<string, QueryTemplateInput>> = {
  aksCluster: {
    types: ["Microsoft.ContainerService/managedClusters"],
    matchers: [
      { label: "cluster", from: "name" },
      { label: "namespace", from: { tag: "topdeck.namespace" }, optional: true },
    ],
    signals: {
      requestsPerSecond: "sum(rate(http_requests_total{$selector}[$window]))",
      errorRatio: 'sum(rate(http_requests_total{$selector,code=~"5.."}[$window])) / sum(rate(http_requests_total{$selector}[$window]))',
      latencySeconds: "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$window])))",
      cpuRatio:
        'sum(rate(container_cpu_usage_seconds_total{$selector}[$window])) / sum(kube_pod_container_resource_limits{$selector,resource="cpu"})',
      memoryRatio:
        'sum(container_memory_working_set_bytes{$selector}) / sum(kube_pod_container_resource_limits{$selector,resource="memory"})',
    },
  },
  appService: {
    types: ["Microsoft.Web/sites", "Microsoft.Web/sites/slots"],
    matchers: [...byId],
    signals: {
      requestsPerSecond: "sum(rate(azure_appservice_requests_total{$selector}[$window]))",
      errorRatio:
        "sum(rate(azure_appservice_http5xx_total{$selector}[$window])) / sum(rate(azure_appservice_requests_total{$selector}[$window]))",
      latencySeconds: "max(azure_appservice_response_time_seconds{$selector})",
      cpuRatio: "max(azure_appservice_cpu_ratio{$selector})",
      memoryRatio: "max(azure_appservice_memory_ratio{$selector})",
    },
  },
  database: {
    types: [
      "Microsoft.Sql/servers/databases",
      "Microsoft.Sql/managedInstances",
      "Microsoft.DBforPostgreSQL/flexibleServers",
      "Microsoft.DBforMySQL/flexibleServers",
      "Microsoft.DocumentDB/databaseAccounts",
      "Microsoft.Cache/redis",
    ],
    matchers: [...byId],
    signals: {
      requestsPerSecond: "sum(rate(azure_database_requests_total{$selector}[$window]))",
      errorRatio:
        "sum(rate(azure_database_failed_requests_total{$selector}[$window])) / sum(rate(azure_database_requests_total{$selector}[$window]))",
      latencySeconds: "max(azure_database_query_duration_seconds{$selector})",
      cpuRatio: "max(azure_database_cpu_percent{$selector}) / 100",
      memoryRatio: "max(azure_database_memory_percent{$selector}) / 100",
    },
  },
  loadBalancer: {
    types: ["Microsoft.Network/loadBalancers"],
    matchers: [...byId],
    signals: {
      requestsPerSecond: "sum(rate(azure_lb_flows_total{$selector}[$window]))",
      errorRatio: "1 - min(azure_lb_health_probe_availability_ratio{$selector})",
    },
  },
  gateway: {
    types: [
      "Microsoft.Network/applicationGateways",
      "Microsoft.Network/frontDoors",
      "Microsoft.Cdn/profiles",
      "Microsoft.ApiManagement/service",
    ],
    matchers: [...byId],
    signals: {
      requestsPerSecond: "sum(rate(azure_gateway_requests_total{$selector}[$window]))",
      errorRatio:
        "sum(rate(azure_gateway_failed_requests_total{$selector}[$window])) / sum(rate(azure_gateway_requests_total{$selector}[$window]))",
      latencySeconds: "max(azure_gateway_backend_response_seconds{$selector})",
      cpuRatio: "max(azure_gateway_capacity_ratio{$selector})",
    },
  },
};
