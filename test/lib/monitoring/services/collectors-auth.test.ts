// PROMETHEUS_AUTH / LOKI_AUTH reach the backends as the Authorization header of every request.
import { describe, expect, it } from "vitest";

import { loadConfig } from "../../../../lib/config/index.js";
import { createCollectors } from "../../../../lib/monitoring/index.js";

describe("backend credentials", () => {
  it("sends the configured Authorization to Prometheus and Loki, and none when unset", async () => {
    const seen: Array<{ url: string; authorization: string | null }> = [];
    const fetch = (url: string, init: RequestInit): Promise<Response> => {
      seen.push({ url, authorization: new Headers(init.headers).get("authorization") });
      const body = url.includes("/loki/")
        ? { status: "success", data: { resultType: "streams", result: [] } }
        : { status: "success", data: { resultType: "vector", result: [] } };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    };
    const config = loadConfig({
      PROMETHEUS_URL: "https://prom.example.com",
      PROMETHEUS_AUTH: "bearer t0k",
      LOKI_URL: "https://loki.example.com",
      LOKI_AUTH: "basic ada:pw",
    });
    const { prometheus, loki } = createCollectors(config, { fetch });
    await prometheus!.query("up");
    await loki!.queryRange('{app="a"}', { startMs: 0, endMs: 1000 });
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer t0k", `Basic ${Buffer.from("ada:pw").toString("base64")}`]);
    const bare = createCollectors(loadConfig({ PROMETHEUS_URL: "https://prom.example.com" }), { fetch });
    await bare.prometheus!.query("up");
    expect(seen.at(-1)?.authorization).toBeNull();
  });
});
