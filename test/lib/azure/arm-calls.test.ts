import { describe, expect, it } from "vitest";

import { createArmCalls } from "../../../lib/azure/arm-calls.js";
import { ArmAttemptError } from "../../../lib/azure/arm-http.js";
import { isBrokenCircuitError } from "../../../lib/resilience/index.js";

const subA = "aaaaaaaa-0000-0000-0000-000000000000";
const subB = "bbbbbbbb-0000-0000-0000-000000000000";
const unavailable = () => new ArmAttemptError("503", 503, "ServiceUnavailable", {});

describe("createArmCalls: breakers", () => {
  it("issue 13 case 9: are kept per (subscription, provider namespace), so one subscription's failures do not refuse another's calls", async () => {
    const calls = createArmCalls({ maxAttempts: 1, breaker: { consecutiveFailures: 2 } });
    const network = (subscriptionId: string) => ({ subscriptionId, namespace: "Microsoft.Network", stats: undefined });
    for (let i = 0; i < 2; i++) {
      await expect(calls.run(network(subA), () => Promise.reject(unavailable()))).rejects.toMatchObject({ status: 503 });
    }
    let sent = 0;
    const ok = () => {
      sent += 1;
      return Promise.resolve("ok");
    };
    expect(isBrokenCircuitError(await calls.run(network(subA), ok).catch((e: unknown) => e))).toBe(true);
    expect(sent).toBe(0);
    expect(await calls.run(network(subB), ok)).toBe("ok");
    expect(await calls.run({ subscriptionId: subA, namespace: "Microsoft.Web", stats: undefined }, ok)).toBe("ok");
    expect(sent).toBe(2);
    expect(calls.breakers.get(`${subA}/microsoft.network`).state).toBe("open");
    expect(calls.breakers.get(`${subB}/microsoft.network`).state).toBe("closed");
  });
});
