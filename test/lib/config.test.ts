import { describe, expect, it } from "vitest";

import { type ConfigError, isConfigError, loadConfig, loadSetting } from "../../lib/config/index.js";

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error("expected loadConfig to fail");
}

describe("loadConfig", () => {
  it("gives defaults for an empty environment", () => {
    const cfg = loadConfig({});
    expect(cfg.TOPDECK_LOG_LEVEL).toBe("info");
    expect(cfg.ARM_ENDPOINT).toBe("https://management.azure.com");
    expect(cfg.TOPDECK_SUBSCRIPTIONS).toEqual([]);
    expect(cfg.DISCOVERY_CONCURRENCY).toBe(8);
    expect(cfg.UPSTASH_REDIS_REST_URL).toBeUndefined();
  });

  it("parses good values into typed ones", () => {
    const cfg = loadConfig({
      DISCOVERY_CONCURRENCY: "32",
      TOPDECK_SUBSCRIPTIONS: "11111111-1111-1111-1111-111111111111, 22222222-2222-2222-2222-222222222222",
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:8079",
      UPSTASH_REDIS_REST_TOKEN: "tok-123456789",
    });
    expect(cfg.DISCOVERY_CONCURRENCY).toBe(32);
    expect(cfg.TOPDECK_SUBSCRIPTIONS).toEqual(["11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"]);
    expect(cfg.UPSTASH_REDIS_REST_URL).toBe("http://127.0.0.1:8079");
  });

  it("treats empty and blank strings as unset", () => {
    expect(loadConfig({ DISCOVERY_CONCURRENCY: "", TOPDECK_LOG_LEVEL: "  " }).DISCOVERY_CONCURRENCY).toBe(8);
  });

  it.each([
    ["not a number", { DISCOVERY_CONCURRENCY: "many" }, "DISCOVERY_CONCURRENCY", "integer 1-256"],
    ["a fraction", { DISCOVERY_CONCURRENCY: "2.5" }, "DISCOVERY_CONCURRENCY", "integer 1-256"],
    ["out of range", { DISCOVERY_CONCURRENCY: "0" }, "DISCOVERY_CONCURRENCY", "integer 1-256"],
    ["not in the enum", { TOPDECK_LOG_LEVEL: "verbose" }, "TOPDECK_LOG_LEVEL", "one of debug, info, warn, error"],
    ["not a URL", { ARM_ENDPOINT: "management" }, "ARM_ENDPOINT", "https URL"],
    ["plain http for ARM", { ARM_ENDPOINT: "http://127.0.0.1:1" }, "ARM_ENDPOINT", "https URL"],
    ["a bad GUID in a list", { TOPDECK_SUBSCRIPTIONS: "11111111-1111-1111-1111-111111111111,prod" }, "TOPDECK_SUBSCRIPTIONS", "GUIDs"],
    ["a URL without its token", { UPSTASH_REDIS_REST_URL: "https://eu1.upstash.io" }, "UPSTASH_REDIS_REST_TOKEN", "required when"],
    ["a token without its URL", { UPSTASH_REDIS_REST_TOKEN: "abcdefgh12" }, "UPSTASH_REDIS_REST_URL", "required when"],
    [
      "plain http for a remote Upstash",
      { UPSTASH_REDIS_REST_URL: "http://eu1.upstash.io", UPSTASH_REDIS_REST_TOKEN: "t" },
      "UPSTASH_REDIS_REST_URL",
      "must be https unless the host is loopback",
    ],
    [
      "plain http for a remote Prometheus",
      { PROMETHEUS_URL: "http://prometheus:9090" },
      "PROMETHEUS_URL",
      "must be https unless the host is loopback",
    ],
    ["plain http for a remote Loki", { LOKI_URL: "http://10.0.0.5:3100" }, "LOKI_URL", "must be https unless the host is loopback"],
    ["Prometheus credentials of no known kind", { PROMETHEUS_AUTH: "hunter2" }, "PROMETHEUS_AUTH", "bearer TOKEN or basic USER:PASSWORD"],
  ])("rejects %s, naming the variable and the expected shape", (_kind, env, variable, shape) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(`Setting ${variable} is invalid`);
    expect(error.message).toContain(shape);
  });

  it("shows the bad value, but never a secret's", () => {
    expect(failure({ DISCOVERY_CONCURRENCY: "many" }).message).toContain('got "many"');
    const secret = failure({ UPSTASH_REDIS_REST_URL: "ftp://x", UPSTASH_REDIS_REST_TOKEN: "s3cr3t-token-value" });
    expect(secret.message).not.toContain("s3cr3t-token-value");
  });
});

describe("transport and credentials of the backends", () => {
  it("accepts https anywhere and plain http on loopback hosts only", () => {
    const ok = loadConfig({
      PROMETHEUS_URL: "https://prom.example.com",
      LOKI_URL: "http://127.0.0.1:3100",
      UPSTASH_REDIS_REST_URL: "http://localhost:8079",
      UPSTASH_REDIS_REST_TOKEN: "t",
    });
    expect(ok.LOKI_URL).toBe("http://127.0.0.1:3100");
    expect(loadConfig({ PROMETHEUS_URL: "http://[::1]:9090" }).PROMETHEUS_URL).toBe("http://[::1]:9090");
    expect(() => loadConfig({ PROMETHEUS_URL: "http://localhost.evil.example" })).toThrow(/PROMETHEUS_URL/);
  });

  it("turns bearer and basic credentials into Authorization values, and never shows them in an error", () => {
    expect(loadConfig({ PROMETHEUS_AUTH: "bearer abc.def" }).PROMETHEUS_AUTH).toBe("Bearer abc.def");
    expect(loadConfig({ LOKI_AUTH: "basic ada:pa:ss" }).LOKI_AUTH).toBe(`Basic ${Buffer.from("ada:pa:ss").toString("base64")}`);
    expect(failure({ LOKI_AUTH: "s3cr3t-password" }).message).not.toContain("s3cr3t-password");
  });
});

describe("loadSetting", () => {
  const scheduleFailure = (env: Record<string, string>): ConfigError => {
    try {
      loadSetting("DISCOVERY_SCHEDULE", env);
    } catch (e) {
      if (isConfigError(e)) return e;
      throw e;
    }
    throw new Error("expected loadSetting to fail");
  };

  it("gives DISCOVERY_SCHEDULE's default when it is unset, empty or blank", () => {
    expect(loadSetting("DISCOVERY_SCHEDULE", {})).toBe("0 0 */6 * * *");
    expect(loadSetting("DISCOVERY_SCHEDULE", { DISCOVERY_SCHEDULE: "" })).toBe("0 0 */6 * * *");
    expect(loadSetting("DISCOVERY_SCHEDULE", { DISCOVERY_SCHEDULE: "   " })).toBe("0 0 */6 * * *");
  });

  it("passes a custom six-field NCRONTAB schedule", () => {
    expect(loadSetting("DISCOVERY_SCHEDULE", { DISCOVERY_SCHEDULE: "0 30 2 * * *" })).toBe("0 30 2 * * *");
    expect(loadSetting("DISCOVERY_SCHEDULE", { DISCOVERY_SCHEDULE: "0 */15 * * * 1-5" })).toBe("0 */15 * * * 1-5");
  });

  it("rejects a five-field cron, naming DISCOVERY_SCHEDULE", () => {
    const error = scheduleFailure({ DISCOVERY_SCHEDULE: "0 */6 * * *" });
    expect(error.name).toBe("ConfigError");
    expect(error.variable).toBe("DISCOVERY_SCHEDULE");
    expect(error.message).toContain("Setting DISCOVERY_SCHEDULE is invalid");
    expect(error.message).toContain('got "0 */6 * * *"');
  });

  it("reads only its own setting: an unrelated bad one does not make it throw", () => {
    const env = { CACHE_TIMEOUT_MS: "abc", DISCOVERY_CONCURRENCY: "many" };
    expect(() => loadConfig(env)).toThrow();
    expect(loadSetting("DISCOVERY_SCHEDULE", env)).toBe("0 0 */6 * * *");
    expect(loadSetting("DISCOVERY_SCHEDULE", { ...env, DISCOVERY_SCHEDULE: "0 0 3 * * *" })).toBe("0 0 3 * * *");
  });
});
