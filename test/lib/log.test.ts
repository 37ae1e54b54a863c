import pLimit from "p-limit";
import { describe, expect, it } from "vitest";

import { correlationIdFrom, createLogger, type LogRecord, redact, redactText, registerSecret, withLogScope } from "../../lib/log/index.js";

function capture(level: "debug" | "info" = "debug") {
  const records: LogRecord[] = [];
  const lines: string[] = [];
  const log = createLogger({
    level,
    now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
    write: (line, record) => {
      lines.push(line);
      records.push(record);
    },
  });
  return { log, records, lines };
}

const headers = (h: Record<string, string>) => new Headers(h);

describe("structured lines", () => {
  it("writes one JSON line with timestamp, level, message, correlation id, operation and fields", () => {
    const { log, lines } = capture();
    withLogScope({ correlationId: "corr-1", operation: "discover" }, () => log.info("hello", { count: 3 }));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      timestamp: "2026-01-02T03:04:05.000Z",
      level: "info",
      message: "hello",
      correlationId: "corr-1",
      operation: "discover",
      count: 3,
    });
  });

  it("drops lines below the level and keeps bound fields on children", () => {
    const { log, records } = capture("info");
    log.debug("hidden");
    log.child({ subscriptionId: "s1" }).warn("shown", { type: "t" });
    expect(records.map((r) => r.message)).toEqual(["shown"]);
    expect(records[0]).toMatchObject({ subscriptionId: "s1", type: "t", level: "warn" });
  });

  it("goes through the invocation's logger inside an invocation", () => {
    const { log, lines } = capture();
    const seen: Array<[string, string]> = [];
    const sink = {
      debug: (l: unknown) => seen.push(["debug", String(l)]),
      info: (l: unknown) => seen.push(["info", String(l)]),
      warn: (l: unknown) => seen.push(["warn", String(l)]),
      error: (l: unknown) => seen.push(["error", String(l)]),
    };
    withLogScope({ correlationId: "inv-1", sink }, () => log.error("boom"));
    expect(lines).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe("error");
    expect(JSON.parse(seen[0]![1])).toMatchObject({ message: "boom", correlationId: "inv-1" });
  });
});

describe("correlation id", () => {
  it("follows awaits, timers and p-limit queues", async () => {
    const { log, records } = capture();
    const limit = pLimit(1);
    await Promise.all(
      ["a", "b", "c"].map((id) =>
        withLogScope({ correlationId: id }, () =>
          limit(async () => {
            await new Promise((r) => setTimeout(r, 1));
            log.info(`task ${id}`);
          }),
        ),
      ),
    );
    expect(records.map((r) => [r.message, r.correlationId])).toEqual([
      ["task a", "a"],
      ["task b", "b"],
      ["task c", "c"],
    ]);
  });

  it("comes from x-correlation-id, then traceparent, then the invocation id", () => {
    const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    expect(correlationIdFrom(headers({ "x-correlation-id": "abc-123", traceparent: tp }), "inv")).toBe("abc-123");
    expect(correlationIdFrom(headers({ traceparent: tp }), "inv")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(correlationIdFrom(headers({}), "inv-9")).toBe("inv-9");
    expect(correlationIdFrom(headers({})).length).toBe(36);
  });

  it("ignores an unsafe or malformed incoming id", () => {
    expect(correlationIdFrom(headers({ "x-correlation-id": 'bad id {}" OR 1' }), "inv")).toBe("inv");
    expect(correlationIdFrom(headers({ traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" }), "inv")).toBe("inv");
    expect(correlationIdFrom(headers({ traceparent: "garbage" }), "inv")).toBe("inv");
  });
});

describe("secrets are never logged", () => {
  const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.c2lnbmF0dXJlLXBhcnQ";

  it.each([
    ["a bearer token in a message", `sending Authorization: Bearer ${jwt}`, jwt],
    ["an opaque bearer token", "Bearer abc.DEF-123_xyz/+=", "abc.DEF-123_xyz"],
    ["a bare JWT", `token was ${jwt} ok`, jwt],
    [
      "a storage connection string",
      "DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=Zm9vYmFy+/==;EndpointSuffix=core.windows.net",
      "Zm9vYmFy",
    ],
    [
      "a Service Bus connection string",
      "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=c2VjcmV0a2V5",
      "c2VjcmV0a2V5",
    ],
    ["a SAS signature", "https://st1.blob.core.windows.net/c/b?sv=2022-11-02&se=2026&sig=AbC%2Bdef%3D&sp=r", "AbC%2Bdef%3D"],
    ["a function key in a URL", "GET https://app.azurewebsites.net/api/risk?code=fnKey123abc&x=1", "fnKey123abc"],
    ["an access_token parameter", "GET https://api.example.com/v1/items?access_token=at-9f8e7d6c5b", "at-9f8e7d6c5b"],
    ["an api_key parameter", "GET https://api.example.com/v1/items?page=2&api_key=ak-1a2b3c4d", "ak-1a2b3c4d"],
    ["a token parameter", "callback https://hooks.example.com/in?token=tk-55aa66bb77", "tk-55aa66bb77"],
    ["an x-api-key header", "sent x-api-key: xk-0011223344 to the backend", "xk-0011223344"],
    ["an APIM subscription key header", "Ocp-Apim-Subscription-Key: 0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"],
    ["a password in a URL", "connecting to postgres://app:Pa55w0rd!@db.internal:5432/app", "Pa55w0rd!"],
    ["a logfmt password", "login failed user=admin password=hunter2-x", "hunter2-x"],
  ])("masks %s in a message", (_kind, text, secret) => {
    const { log, lines } = capture();
    log.info(text);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toMatch(/\[redacted:[a-z-]+\]/);
  });

  it.each([
    ["primaryKey", "pk-0000aaaa"],
    ["secondaryKey", "sk-1111bbbb"],
    ["primaryMasterKey", "mk-2222cccc"],
    ["x-api-key", "xk-3333dddd"],
    ["Ocp-Apim-Subscription-Key", "ok-4444eeee"],
    ["password", "pw-5555ffff"],
  ])("masks a field named %s", (name, secret) => {
    const { log, lines } = capture();
    log.warn("payload", { detail: { [name]: secret } });
    expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0]!).detail[name]).toBe("[redacted:secret-field]");
  });

  it("masks a registered Upstash token wherever it appears", () => {
    const token = "AXk2ASQgYjUxZGQ3ZmYtNGQ3Mi00Mzk0LWE1OTktNzY5NmQ2NWQ3OWI1";
    registerSecret(token);
    const { log, lines } = capture();
    log.warn(`redis call failed with token ${token}`, { detail: { url: `x?t=${token}` } });
    expect(lines[0]).not.toContain(token);
    expect(lines[0]).toContain("[redacted:known-secret]");
  });

  it("masks fields whose names say they are secret, at any depth, and keeps the rest", () => {
    const out = redact({
      headers: { Authorization: "Basic dXNlcjpwYXNz", "x-functions-key": "k1" },
      upstashToken: "whatever",
      nested: [{ connectionString: "Server=tcp:x;Password=p" }],
      key: "cache:resources:1",
      code: "ResourceNotFound",
    });
    expect(out).toEqual({
      headers: { Authorization: "[redacted:secret-field]", "x-functions-key": "[redacted:secret-field]" },
      upstashToken: "[redacted:secret-field]",
      nested: [{ connectionString: "[redacted:secret-field]" }],
      key: "cache:resources:1",
      code: "ResourceNotFound",
    });
  });

  it("masks secrets inside logged errors", () => {
    const { log, lines } = capture();
    log.error("failed", { error: new Error(`401 for Bearer ${jwt}`) });
    expect(lines[0]).not.toContain(jwt);
    expect(JSON.parse(lines[0]!).error).toMatchObject({ name: "Error" });
  });

  it("leaves ordinary text alone", () => {
    expect(redactText("/subscriptions/1/resourceGroups/rg/providers/Microsoft.Web/sites/app1")).toBe(
      "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Web/sites/app1",
    );
  });
});
