// The Upstash driver's request shaping, against a recording fake of the client: values that must
// not share a request (snapshot chunks, large values) go through an explicit pipeline of their
// own, everything else rides the client's auto-pipeline.
import { describe, expect, it } from "vitest";

import { type UpstashCommands, UpstashDriver } from "../../../../../lib/cache/index.js";

function fakeClient(): { redis: UpstashCommands; calls: string[] } {
  const calls: string[] = [];
  const redis = {
    set: async (key: string) => {
      calls.push(`set ${key}`);
      return "OK";
    },
    pipeline: () => {
      const queued: string[] = [];
      const p = {
        set: (key: string) => {
          queued.push(key);
          return p;
        },
        exec: async () => {
          calls.push(`own request: set ${queued.join(",")}`);
          return queued.map(() => "OK");
        },
      };
      return p;
    },
  } as unknown as UpstashCommands;
  return { redis, calls };
}

describe("UpstashDriver", () => {
  it("sends a value in a request of its own when asked, or when it is large", async () => {
    const { redis, calls } = fakeClient();
    const driver = new UpstashDriver({ redis, soloValueChars: 100 });
    await driver.set("small", "x", 1_000);
    await driver.set("chunk", "x", 1_000, true);
    await driver.set("large", "x".repeat(101));
    expect(calls).toEqual(["set small", "own request: set chunk", "own request: set large"]);
  });
});
