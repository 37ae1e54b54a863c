// The composition with the real Azure SDK pipeline (@azure/arm-resources over core-rest-pipeline),
// its HTTP client replaced by a counter: proves the SDK sends one request per attempt with its
// retries off (`maxRetries: 0`, as ArmHttpReader sets them), and shows the multiplication its own
// retries cause otherwise.
import { ResourceManagementClient, type ResourceManagementClientOptionalParams } from "@azure/arm-resources";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { BreakerRegistry } from "../../../../lib/resilience/breaker/breaker-registry.js";
import { OutboundPolicy } from "../../../../lib/resilience/outbound/outbound-policy.js";
import { LocalRateLimiter } from "../../../../lib/resilience/rate-limit/local-rate-limiter.js";
import { CountingLimiter } from "./counting-limiter.js";

type Client = ResourceManagementClient;
type HttpClient = NonNullable<ResourceManagementClientOptionalParams["httpClient"]>;

/** Just enough of core-rest-pipeline's HttpHeaders for the pipeline to read a response. */
function headers(init: Record<string, string>) {
  const map = new Map(Object.entries(init).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    get: (n: string) => map.get(n.toLowerCase()),
    has: (n: string) => map.has(n.toLowerCase()),
    set: (n: string, v: string | number | boolean) => void map.set(n.toLowerCase(), String(v)),
    delete: (n: string) => void map.delete(n.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}

/** An ARM that is always busy: 503 with retry-after-ms, and the remaining-reads header. */
function busyArm(): { httpClient: HttpClient; sent: () => number } {
  let sent = 0;
  const httpClient: HttpClient = {
    sendRequest: async (request) => {
      sent++;
      return {
        request,
        status: 503,
        headers: headers({
          "content-type": "application/json",
          "retry-after-ms": "1",
          "x-ms-ratelimit-remaining-subscription-reads": "249",
        }),
        bodyAsText: JSON.stringify({ error: { code: "ServerBusy", message: "busy" } }),
      };
    },
  };
  return { httpClient, sent: () => sent };
}

const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };

function client(httpClient: HttpClient, withOurOptions: boolean): Client {
  return new ResourceManagementClient(credential, "11111111-1111-1111-1111-111111111111", {
    httpClient,
    ...(withOurOptions && { retryOptions: { maxRetries: 0 } }),
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("OutboundPolicy with the Azure SDK pipeline", () => {
  it("with the SDK's retries off, the requests ARM sees equal maxRequestsPerCall, and each took a token", async () => {
    const arm = busyArm();
    const limiter = new CountingLimiter(250, 25);
    const policy = new OutboundPolicy({
      limiter,
      breakers: new BreakerRegistry({ consecutiveFailures: 100 }),
      retry: { maxAttempts: 3, baseDelayMs: 100 },
    });
    const c = client(arm.httpClient, true);
    const p = policy.execute((a) => c.providers.get("Microsoft.Web", { abortSignal: a.signal }), { key: "microsoft.web" });
    const settled = expect(p).rejects.toMatchObject({ name: "RestError", statusCode: 503 });
    await vi.runAllTimersAsync();
    await settled;
    expect(arm.sent()).toBe(policy.maxRequestsPerCall);
    expect(limiter.grants).toHaveLength(arm.sent());
  });

  it("without them the SDK's own retries multiply: 3 attempts become 12 requests, 9 of them without a token", async () => {
    const arm = busyArm();
    const policy = new OutboundPolicy({
      limiter: new LocalRateLimiter({ burst: 250, refillPerSecond: 25 }),
      breakers: new BreakerRegistry({ consecutiveFailures: 100 }),
      retry: { maxAttempts: 3, baseDelayMs: 100 },
    });
    const c = client(arm.httpClient, false);
    const p = policy.execute((a) => c.providers.get("Microsoft.Web", { abortSignal: a.signal }));
    const settled = expect(p).rejects.toMatchObject({ statusCode: 503 });
    await vi.runAllTimersAsync();
    await settled;
    expect(arm.sent()).toBe(12);
  });
});
