// Hostile resource ids against the real Prometheus: every query built from them either returns
// exactly that id's series or nothing; none errors out, none returns another id's series.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { renderSelector } from "../../../../lib/monitoring/prometheus/label-matchers.js";
import { PrometheusClient } from "../../../../lib/monitoring/prometheus/prometheus-client.js";
import { loadQueryTemplates } from "../../../../lib/monitoring/templates/load-templates.js";
import { promqlFor } from "../../../../lib/monitoring/templates/render-queries.js";
import { type PrometheusServer, startPrometheus, toOpenMetrics } from "../../../support/prometheus.js";

/** Ingested ids: each differs from every other even ignoring case. */
const hostile = [
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a"b',
  'x\\"} or vector(1) or {x="',
  "back\\slash\\",
  "}{",
  '{resource_id=~".*"}',
  ".*",
  "a|b",
  "(?i)x",
  "[abc]",
  "^start$",
  "a+",
  "line\nbreak",
  "tab\there",
  "cr\rhere",
  "ünïcødé 🚀 ✓",
  "zero\u200bwidth",
  "$&$1$`$window$selector",
  "it's",
  "sep\u2028here",
  "\\x41\\u0041",
  `long-${"y".repeat(1500)}`,
];
/** Ids that unescaped regexes or broken quoting would wrongly match. */
const decoys = ["a", "b", "x", "start", "aa", "abc", "c", "anything", "A"];
/** Never ingested: must return nothing, without an error. */
const absent = ['"} or vector(1) #', "\\", "", "\u0000", 'a"', ".+", "(", "\\Q.*\\E"];

const NOW = Date.now();
const AT = NOW - 30 * 60_000;

let prom: PrometheusServer;
let client: PrometheusClient;

beforeAll(async () => {
  const ids = [...hostile, ...decoys];
  prom = await startPrometheus({
    openMetrics: toOpenMetrics([
      {
        name: "topdeck_probe",
        series: ids.map((id, i) => ({
          labels: { resource_id: id },
          samples: [
            [AT - 60_000, i],
            [AT, i],
          ] as const,
        })),
      },
    ]),
  });
  client = new PrometheusClient({ baseUrl: prom.url });
});
afterAll(async () => {
  await prom?.stop();
});

async function probe(selector: string): Promise<string[]> {
  const samples = await client.query(`topdeck_probe{${selector}}`, AT);
  return samples.map((s) => s.labels.resource_id ?? "(none)");
}

describe("hostile ids against the real Prometheus", () => {
  it("the ingested ids came back unchanged (the fixture itself is right)", async () => {
    const all = await client.query("topdeck_probe", AT);
    expect(all.map((s) => s.labels.resource_id).sort()).toEqual([...hostile, ...decoys].sort());
  });

  it.each(hostile.map((id) => [JSON.stringify(id).slice(0, 60), id]))("exact match selects only %s", async (_, id) => {
    expect(await probe(renderSelector([{ label: "resource_id", value: id }])!)).toEqual([id]);
  });

  it.each(hostile.map((id) => [JSON.stringify(id).slice(0, 60), id]))("ignore-case regex selects only %s", async (_, id) => {
    const selector = renderSelector([{ label: "resource_id", value: id.toUpperCase(), match: "ignore-case" }])!;
    expect(await probe(selector)).toEqual([id]);
  });

  it("ids that are not there select nothing and raise no error", async () => {
    for (const id of absent) {
      const exact = renderSelector([{ label: "resource_id", value: id }]);
      const regex = renderSelector([{ label: "resource_id", value: id, match: "ignore-case" }]);
      if (id === "") {
        // An empty value would select every series without the label: it is refused instead.
        expect([exact, regex]).toEqual([undefined, undefined]);
        continue;
      }
      expect(await probe(exact!), JSON.stringify(id)).toEqual([]);
      expect(await probe(regex!), JSON.stringify(id)).toEqual([]);
    }
  });

  it("random strings never error out and never select a series that is not theirs", async () => {
    const ids = new Set([...hostile, ...decoys].map((s) => s.toLowerCase()));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }), async (s) => {
        for (const match of ["exact", "ignore-case"] as const) {
          const got = await probe(renderSelector([{ label: "resource_id", value: s, match }])!);
          const expected =
            match === "exact" ? [...hostile, ...decoys].filter((id) => id === s) : [...ids].includes(s.toLowerCase()) ? got : [];
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("a template's queries keep a hostile id inside its literal ($window, $& and $selector in the id included)", async () => {
    const templates = loadQueryTemplates({
      probe: {
        types: ["Test/probes"],
        matchers: [{ label: "resource_id", from: "key" }],
        signals: { cpuRatio: "max(max_over_time(topdeck_probe{$selector}[$window]))" },
      },
    });
    for (const id of hostile) {
      const queries = promqlFor({ key: id, type: "Test/probes" }, templates.probe!, 300);
      expect(queries?.cpuRatio).toBeDefined();
      const samples = await client.query(queries!.cpuRatio!, AT);
      expect(samples, JSON.stringify(id)).toHaveLength(1);
      expect(samples[0]!.value).toBe([...hostile, ...decoys].indexOf(id));
    }
  });
});
