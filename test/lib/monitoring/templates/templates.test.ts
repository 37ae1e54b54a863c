import { describe, expect, it } from "vitest";

import { isConfigError, loadConfig } from "../../../../lib/config/index.js";
import { defaultTemplates } from "../../../../lib/monitoring/templates/default-templates.js";
import { loadQueryTemplates, queryTemplatesFromConfig } from "../../../../lib/monitoring/templates/load-templates.js";
import { templateFor } from "../../../../lib/monitoring/templates/match-template.js";
import { logSelectorFor, promqlFor } from "../../../../lib/monitoring/templates/render-queries.js";

const web = {
  key: "/subscriptions/s1/resourcegroups/rg/providers/microsoft.web/sites/web1",
  id: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/web1",
  name: "web1",
  type: "Microsoft.Web/sites",
};
const aks = { key: "k", name: "aks-prod", type: "microsoft.containerservice/managedclusters", tags: { "topdeck.namespace": "shop" } };

describe("query templates", () => {
  it("the defaults cover AKS, App Service, databases, load balancers and gateways", () => {
    const templates = loadQueryTemplates();
    expect(Object.keys(templates)).toEqual(["aksCluster", "appService", "database", "loadBalancer", "gateway"]);
    for (const [type, kind] of [
      ["Microsoft.ContainerService/managedClusters", "aksCluster"],
      ["Microsoft.Web/sites", "appService"],
      ["Microsoft.Sql/servers/databases", "database"],
      ["Microsoft.Cache/redis", "database"],
      ["Microsoft.Network/loadBalancers", "loadBalancer"],
      ["Microsoft.Network/applicationGateways", "gateway"],
      ["microsoft.network/frontdoors", "gateway"],
    ]) {
      expect(templateFor({ type: type! }, templates)?.kind, type).toBe(kind);
    }
    expect(templateFor({ type: "Microsoft.KeyVault/vaults" }, templates)).toBeUndefined();
  });

  it("renders a resource's queries: matchers escaped, $window set, ids compared ignoring case", () => {
    const templates = loadQueryTemplates();
    const q = promqlFor(web, templates.appService!, 300)!;
    expect(q.latencySeconds).toBe(`max(azure_appservice_response_time_seconds{resource_id=~"(?i)${web.key.replace(/\./g, "\\\\.")}"})`);
    expect(q.requestsPerSecond).toContain("[300s]");
    const k = promqlFor(aks, templates.aksCluster!, 120)!;
    expect(k.errorRatio).toBe(
      'sum(rate(http_requests_total{cluster="aks-prod",namespace="shop",code=~"5.."}[120s])) / sum(rate(http_requests_total{cluster="aks-prod",namespace="shop"}[120s]))',
    );
    expect(logSelectorFor(aks, templates.aksCluster!)).toBe('{cluster="aks-prod",namespace="shop"}');
  });

  it("an optional matcher without a value is left out; a required one makes the resource unmatchable", () => {
    const templates = loadQueryTemplates();
    expect(promqlFor({ ...aks, tags: {} }, templates.aksCluster!, 300)!.memoryRatio).toContain('{cluster="aks-prod"}');
    expect(promqlFor({ ...aks, name: "" }, templates.aksCluster!, 300)).toBeUndefined();
    expect(promqlFor({ key: "k", type: "t" }, templates.aksCluster!, 300)).toBeUndefined();
    expect(logSelectorFor({ key: "", type: "Microsoft.Web/sites" }, templates.appService!)).toBeUndefined();
  });

  it("values from properties and tags; numbers become text", () => {
    const templates = loadQueryTemplates({
      fn: {
        types: ["Microsoft.Web/sites"],
        matchers: [
          { label: "site", from: { property: "siteConfig.name" } },
          { label: "slot", from: { property: "slot.index" } },
          { label: "team", from: { tag: "team" } },
        ],
        signals: { cpuRatio: "max(x{$selector})" },
      },
    });
    const r = {
      key: "k",
      type: "Microsoft.Web/sites",
      tags: { team: "t1" },
      properties: { siteConfig: { name: "s" }, slot: { index: 2 } },
    };
    expect(promqlFor(r, templates.fn!, 60)!.cpuRatio).toBe('max(x{site="s",slot="2",team="t1"})');
    expect(templateFor(r, templates)?.kind).toBe("fn");
  });

  it("overrides patch a default per signal, remove signals and kinds, and add kinds tried first", () => {
    const templates = loadQueryTemplates({
      appService: { signals: { latencySeconds: "max(my_latency_seconds{$selector})", memoryRatio: null } },
      loadBalancer: null,
    });
    expect(templates.appService!.signals.latencySeconds).toBe("max(my_latency_seconds{$selector})");
    expect(templates.appService!.signals.memoryRatio).toBeUndefined();
    expect(templates.appService!.signals.cpuRatio).toBe(defaultTemplates.appService!.signals.cpuRatio);
    expect(templates.loadBalancer).toBeUndefined();
  });

  it("MONITORING_QUERY_TEMPLATES is parsed once with the settings; bad JSON names the setting", () => {
    const config = loadConfig({ MONITORING_QUERY_TEMPLATES: JSON.stringify({ appService: { signals: { memoryRatio: null } } }) });
    expect(queryTemplatesFromConfig(config).appService!.signals.memoryRatio).toBeUndefined();
    expect(queryTemplatesFromConfig(loadConfig({}))).toEqual(loadQueryTemplates());
    expect(() => loadConfig({ MONITORING_QUERY_TEMPLATES: "{nope" })).toThrow(
      /MONITORING_QUERY_TEMPLATES is invalid: expected JSON object/,
    );
  });

  it("a bad override fails with a ConfigError naming the setting and the field", () => {
    const bad = (overrides: unknown): unknown => {
      try {
        loadQueryTemplates(overrides);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const missingSelector = bad({ appService: { signals: { cpuRatio: "max(x)" } } });
    expect(isConfigError(missingSelector)).toBe(true);
    expect(missingSelector).toMatchObject({ variable: "MONITORING_QUERY_TEMPLATES" });
    expect((missingSelector as Error).message).toContain("appService.signals.cpuRatio: must contain $selector");
    expect((bad({ x: { types: ["t"], matchers: [{ label: "a-b", from: "name" }], signals: {} } }) as Error).message).toContain(
      "x.matchers.0.label",
    );
    expect(
      (bad({ x: { types: ["t"], matchers: [{ label: "a", from: "name", optional: true }], signals: {} } }) as Error).message,
    ).toContain("not optional");
    expect((bad({ appService: { signals: { latencyMs: "x{$selector}" } } }) as Error).message).toContain("appService.signals");
    expect(bad([1])).toMatchObject({ variable: "MONITORING_QUERY_TEMPLATES" });
  });
});
