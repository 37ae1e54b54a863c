// What the routes get when a backend is not configured, cannot be reached, or the resource is unknown.
import { describe, expect, it } from "vitest";

import { loadConfig } from "../../../../lib/config/index.js";
import { isMonitoringNotConfiguredError } from "../../../../lib/monitoring/errors/monitoring-not-configured-error.js";
import { isMonitoringUnavailableError } from "../../../../lib/monitoring/errors/monitoring-unavailable-error.js";
import { isUnknownResourceError } from "../../../../lib/monitoring/errors/unknown-resource-error.js";
import { bottlenecksFor } from "../../../../lib/monitoring/services/bottlenecks-for.js";
import { createCollectors } from "../../../../lib/monitoring/services/collectors.js";
import { errorsFor } from "../../../../lib/monitoring/services/errors-for.js";
import { healthFor } from "../../../../lib/monitoring/services/health-for.js";
import { metricsFor } from "../../../../lib/monitoring/services/metrics-for.js";
import { resolveTimeRange } from "../../../../lib/monitoring/services/time-range.js";
import { freePort } from "../../../support/ports.js";
import { keys, topology } from "./estate.js";

const range = resolveTimeRange({}, () => Date.UTC(2026, 10, 28, 12));
const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("monitoring not configured", () => {
  it("each service names the setting it needs (routes answer 503 problem+json)", async () => {
    const collectors = createCollectors(loadConfig({}));
    expect(collectors).toEqual({});
    const context = { topology, collectors };
    for (const service of [metricsFor, healthFor, bottlenecksFor]) {
      const e = await rejection(service({ key: keys.web, range }, context));
      expect(isMonitoringNotConfiguredError(e)).toBe(true);
      expect(e).toMatchObject({ setting: "PROMETHEUS_URL", code: "TOPDECK_MONITORING_NOT_CONFIGURED" });
      expect((e as Error).message).toMatch(/needs PROMETHEUS_URL, which is not set/);
    }
    expect(await rejection(errorsFor({ key: keys.web, range }, context))).toMatchObject({ setting: "LOKI_URL" });
  });
});

describe("an unknown resource", () => {
  it("is an UnknownResourceError (404)", async () => {
    const collectors = createCollectors(loadConfig({ PROMETHEUS_URL: "http://127.0.0.1:9", LOKI_URL: "http://127.0.0.1:9" }));
    for (const service of [metricsFor, healthFor, bottlenecksFor, errorsFor]) {
      const e = await rejection(service({ key: "/subscriptions/x/resourceGroups/y/providers/A.B/c/d", range }, { topology, collectors }));
      expect(isUnknownResourceError(e)).toBe(true);
    }
  });
});

describe("backends that cannot be reached", () => {
  async function deadCollectors() {
    const url = `http://127.0.0.1:${await freePort()}`;
    let requests = 0;
    const counting = (u: string, init: RequestInit): Promise<Response> => {
      requests++;
      return fetch(u, init);
    };
    const collectors = createCollectors(loadConfig({ PROMETHEUS_URL: url, LOKI_URL: url }), { fetch: counting });
    return { collectors, requests: () => requests };
  }

  it("metrics fail fast with a clear error; then the breaker is open and nothing more is sent", async () => {
    const { collectors, requests } = await deadCollectors();
    const context = { topology, collectors };
    const started = performance.now();
    const first = await rejection(metricsFor({ key: keys.web, range }, context));
    expect(isMonitoringUnavailableError(first)).toBe(true);
    expect(first).toMatchObject({ backend: "prometheus", reason: "unreachable" });
    expect((first as Error).message).toMatch(
      /prometheus is unavailable \(unreachable\) at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_range: fetch failed \(ECONNREFUSED\)/,
    );
    // Three refused connections open the endpoint's breaker.
    while (requests() < 3) await rejection(metricsFor({ key: keys.web, range }, context));
    const sent = requests();
    const refused = await rejection(metricsFor({ key: keys.web, range }, context));
    expect(refused).toMatchObject({ reason: "circuit-open" });
    expect(requests()).toBe(sent);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("health reports unknown, never healthy, and says Prometheus is unavailable", async () => {
    const { collectors } = await deadCollectors();
    const h = await healthFor({ key: keys.cache, range }, { topology, collectors });
    expect(h).toMatchObject({
      status: "unknown",
      score: null,
      source: { backend: "prometheus", available: false, error: { reason: "unreachable" } },
    });
    expect(h.reasons).toEqual(["Prometheus is unavailable (unreachable): health cannot be judged"]);
  });

  it("errors fail with Loki named as the backend", async () => {
    const { collectors } = await deadCollectors();
    expect(await rejection(errorsFor({ key: keys.web, range }, { topology, collectors }))).toMatchObject({
      code: "TOPDECK_MONITORING_UNAVAILABLE",
      backend: "loki",
      reason: "unreachable",
    });
  });
});
