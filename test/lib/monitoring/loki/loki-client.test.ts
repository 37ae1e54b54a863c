import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isMonitoringQueryError } from "../../../../lib/monitoring/errors/monitoring-query-error.js";
import { isMonitoringUnavailableError } from "../../../../lib/monitoring/errors/monitoring-unavailable-error.js";
import { backendPolicy } from "../../../../lib/monitoring/http/backend-policy.js";
import { classifyErrors } from "../../../../lib/monitoring/loki/classify-errors.js";
import { lineContains, lineContainsIgnoreCase, quoteLogqlString } from "../../../../lib/monitoring/loki/logql.js";
import { LokiClient } from "../../../../lib/monitoring/loki/loki-client.js";
import { renderSelector } from "../../../../lib/monitoring/prometheus/label-matchers.js";
import { type LokiStandIn, startLoki } from "../../../support/loki.js";

const T = Date.UTC(2026, 10, 28, 12, 0, 0);
const hostile = ['a"b', "back\\slash", "}{", ".*", "a|b", "line\nbreak", "ünï 🚀", "$&`"];

let loki: LokiStandIn;

beforeAll(async () => {
  loki = await startLoki([
    {
      labels: { app: "web", resource_id: "/subscriptions/s/providers/microsoft.web/sites/web1" },
      entries: [
        [T + 2_000, "ERROR second"],
        [T + 1_000, "INFO first"],
        [T + 3_000, 'ERROR "quoted" and \\ backslash and .* dots'],
      ],
    },
    { labels: { app: "db" }, entries: [[T + 1_500, "ERROR deadlock"]] },
    ...hostile.map((id, i) => ({ labels: { resource_id: id }, entries: [[T + i, `line of ${i}`]] as Array<[number, string]> })),
    {
      labels: { app: "leaky", token: "PLANTEDlabeltoken" },
      entries: [
        [T + 10, "ERROR upload failed for https://st1.blob.core.windows.net/c/b?sv=2022-11-02&sig=PLANTEDsig1 (403)"],
        [T + 11, '{"level":"error","msg":"db down","connectionString":"Server=db;Password=PLANTEDpw1","auth":"Bearer PLANTEDbearer"}'],
        [T + 12, "ERROR retrying postgres://app:PLANTEDurlpw@db.internal:5432/app api_key=PLANTEDapikey"],
      ],
    },
    { labels: { resource_id: "a" }, entries: [[T, "decoy a"]] },
    { labels: { resource_id: "b" }, entries: [[T, "decoy b"]] },
  ]);
});
afterAll(async () => {
  await loki?.stop();
});

const window = { startMs: T - 60_000, endMs: T + 60_000 };

describe("LokiClient against the Loki stand-in", () => {
  it("merges streams into one list, oldest first, with labels and exact nanosecond times", async () => {
    const client = new LokiClient({ baseUrl: loki.url });
    const { entries, truncated } = await client.queryRange('{app=~"web|db"}', window);
    expect(entries.map((e) => e.line)).toEqual([
      "INFO first",
      "ERROR deadlock",
      "ERROR second",
      'ERROR "quoted" and \\ backslash and .* dots',
    ]);
    expect(entries[0]).toMatchObject({ timeNs: `${T + 1_000}000000`, timeMs: T + 1_000, labels: { app: "web" } });
    expect(truncated).toBe(false);
  });

  it("hands back lines and labels with secrets replaced by markers", async () => {
    const client = new LokiClient({ baseUrl: loki.url });
    const { entries } = await client.queryRange('{app="leaky"}', window);
    expect(entries).toHaveLength(3);
    expect(JSON.stringify(entries)).not.toMatch(/planted/i);
    expect(entries[0]!.line).toBe(
      "ERROR upload failed for https://st1.blob.core.windows.net/c/b?sv=2022-11-02&sig=[redacted:sas-signature] (403)",
    );
    expect(entries[0]!.labels).toEqual({ app: "leaky", token: "[redacted:secret-field]" });
    // Lines from another LogsQuerier are sanitised again when classified.
    const raw = { timeNs: "1", timeMs: 0, labels: {}, line: "ERROR GET https://x.example.com/?code=PLANTEDcode failed" };
    expect(classifyErrors([raw])[0]!.line).toBe("ERROR GET https://x.example.com/?code=[redacted:query-secret] failed");
  });

  it("marks a result that reached its limit as truncated; forward keeps the oldest lines", async () => {
    const client = new LokiClient({ baseUrl: loki.url });
    const { entries, truncated } = await client.queryRange('{app="web"}', { ...window, limit: 2, direction: "forward" });
    expect(truncated).toBe(true);
    expect(entries.map((e) => e.line)).toEqual(["INFO first", "ERROR second"]);
  });

  it("line filters carry hostile text as literals", async () => {
    const client = new LokiClient({ baseUrl: loki.url });
    const hit = await client.queryRange(`{app="web"} ${lineContains('"quoted" and \\ backslash and .*')}`, window);
    expect(hit.entries.map((e) => e.timeMs)).toEqual([T + 3_000]);
    const regex = await client.queryRange(`{app="web"} ${lineContainsIgnoreCase("AND .* DOTS")}`, window);
    expect(regex.entries).toHaveLength(1);
    const none = await client.queryRange(`{app="web"} ${lineContains(".*")} ${lineContains("second")}`, window);
    expect(none.entries).toHaveLength(0);
  });

  it.each(hostile.map((id) => [JSON.stringify(id), id]))("a selector for %s returns that stream only", async (_, id) => {
    const client = new LokiClient({ baseUrl: loki.url });
    for (const match of ["exact", "ignore-case"] as const) {
      const { entries } = await client.queryRange(`{${renderSelector([{ label: "resource_id", value: id, match }])!}}`, window);
      expect(entries.map((e) => e.labels.resource_id)).toEqual([id]);
    }
  });

  it("a query Loki cannot parse is a MonitoringQueryError carrying Loki's plain-text message", async () => {
    const client = new LokiClient({ baseUrl: loki.url });
    const e: unknown = await client.queryRange(`{app="a"b"}`, window).catch((x: unknown) => x);
    expect(isMonitoringQueryError(e)).toBe(true);
    expect(e).toMatchObject({ backend: "loki", status: 400 });
    expect((e as Error).message).toContain("parse error");
    // The stand-in is strict the way Loki is: \' is not an escape inside double quotes.
    expect(await client.queryRange(`{app="it\\'s"}`, window).catch((x: unknown) => x)).toMatchObject({ status: 400 });
    expect(quoteLogqlString("it's")).toBe(`"it's"`);
  });

  it("sends the tenant header when given one, and 5xx is unavailability", async () => {
    const seen: Array<string | null> = [];
    const client = new LokiClient({
      baseUrl: loki.url,
      tenant: "team-a",
      policy: backendPolicy({ maxAttempts: 1 }),
      fetch: (url, init) => {
        seen.push(new Headers(init.headers).get("X-Scope-OrgID"));
        return fetch(url, init);
      },
    });
    loki.failWith(503);
    try {
      const e: unknown = await client.queryRange('{app="web"}', window).catch((x: unknown) => x);
      expect(isMonitoringUnavailableError(e)).toBe(true);
      expect(e).toMatchObject({ backend: "loki", reason: "server-error" });
    } finally {
      loki.failWith(undefined);
    }
    expect(seen).toEqual(["team-a"]);
  });
});
