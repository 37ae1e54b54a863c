import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig } from "../../../lib/config/index.js";
import { devopsLimiter } from "../../../lib/devops/index.js";
import { createLogger } from "../../../lib/log/index.js";
import { SharedRateLimiter } from "../../../lib/resilience/index.js";
import { devopsSourceOf } from "../../../lib/runs/devops-source.js";
import { startUpstashStack, type UpstashStack } from "../../support/redis.js";

// The per-organisation limit lives in Redis (redis-server behind the Upstash REST bridge), so two
// instances of the app share one budget per organisation.
let stack: UpstashStack;
beforeAll(async () => {
  stack = await startUpstashStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe("the per-organisation DevOps limit, shared through the store's Redis", () => {
  it("is one bucket per organisation across instances: what one spends, the other cannot", async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const organization = `contoso-${Date.now()}`;
    const a = devopsLimiter({ organization, requestsPerMinute: 60, redis: stack.client(), now });
    const b = devopsLimiter({ organization, requestsPerMinute: 60, redis: stack.client(), now });
    const other = devopsLimiter({ organization: `${organization}-other`, requestsPerMinute: 60, redis: stack.client(), now });
    expect(a).toBeInstanceOf(SharedRateLimiter);
    // 60 a minute: a burst of 2, then 58 over the minute (one about every 1.03 s).
    expect((await (a as SharedRateLimiter).check()).success).toBe(true);
    expect((await (a as SharedRateLimiter).check()).success).toBe(true);
    expect((await (b as SharedRateLimiter).check()).success).toBe(false);
    expect((await (other as SharedRateLimiter).check()).success).toBe(true);
    clock += 1_100;
    expect((await (b as SharedRateLimiter).check()).success).toBe(true);
    expect((await (a as SharedRateLimiter).check()).success).toBe(false);
    clock += 1_100;
    expect((await (b as SharedRateLimiter).check()).success).toBe(true);
    expect((await (a as SharedRateLimiter).check()).success).toBe(false);
  });

  it("lowers for every instance when one sees Azure DevOps' throttling headers", async () => {
    let clock = 2_000_000;
    const now = () => clock;
    const organization = `fabrikam-${Date.now()}`;
    const a = devopsLimiter({ organization, requestsPerMinute: 600, redis: stack.client(), now }) as SharedRateLimiter;
    const b = devopsLimiter({ organization, requestsPerMinute: 600, redis: stack.client(), now }) as SharedRateLimiter;
    await a.pause(30_000); // a Retry-After of 30 s seen by instance a
    expect((await b.check()).success).toBe(false);
    clock += 31_000;
    expect((await b.check()).success).toBe(true);
    await a.observeRemaining(0);
    expect((await b.check()).success).toBe(false);
  });

  it("is what a run service built from the settings uses: with the store's Upstash settings, the bucket is shared", async () => {
    const log = createLogger({ level: "error", write: () => undefined });
    const settings = { DEVOPS_ORGANIZATIONS: "https://dev.azure.com/contoso", DEVOPS_REQUESTS_PER_MINUTE: "60" };
    expect(devopsSourceOf(loadConfig(settings), log)?.redis).toBeUndefined();
    const shared = { ...settings, UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token };
    const [one, two] = [devopsSourceOf(loadConfig(shared), log)!, devopsSourceOf(loadConfig(shared), log)!];
    expect(one).toMatchObject({ organizations: ["https://dev.azure.com/contoso"], requestsPerMinute: 60, windowHours: 168 });
    const clock = 3_000_000;
    const organization = `woodgrove-${Date.now()}`;
    const a = devopsLimiter({ organization, requestsPerMinute: 60, redis: one.redis!, now: () => clock }) as SharedRateLimiter;
    const b = devopsLimiter({ organization, requestsPerMinute: 60, redis: two.redis!, now: () => clock }) as SharedRateLimiter;
    expect((await a.check()).success).toBe(true);
    expect((await a.check()).success).toBe(true);
    expect((await b.check()).success).toBe(false);
  });
});
