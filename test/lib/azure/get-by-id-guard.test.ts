// A GET by id follows ids read from payloads: one that is not an ARM resource id on the
// configured endpoint is refused before any token is asked for or any request sent.
import { describe, expect, it } from "vitest";

import { ArmHttpReader } from "../../../lib/azure/arm-http.js";

describe("ArmHttpReader.getById", () => {
  it.each([
    "//evil.example/subscriptions/x",
    "https://evil.example/subscriptions/s/resourceGroups/rg",
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a/../../../../x",
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a?x=1",
    "/subscriptions/s/resourceGroups//providers/Microsoft.Web/sites/a",
    "/tenants/t/providers/Microsoft.Web/sites/a",
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites",
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a\\b",
  ])("refuses %s without sending anything", async (id) => {
    let tokens = 0;
    const reader = new ArmHttpReader({
      credential: {
        getToken: () => {
          tokens += 1;
          return Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 });
        },
      },
      endpoint: "https://127.0.0.1:1",
      run: () => Promise.reject(new Error("nothing may be sent")),
    });
    await expect(reader.getById(id, "2024-01-01")).rejects.toMatchObject({ name: "ArmRequestError", armCode: "InvalidResourceId" });
    expect(tokens).toBe(0);
  });

  it("sends an ARM id on the endpoint", async () => {
    const sent: string[] = [];
    const reader = new ArmHttpReader({
      credential: { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) },
      endpoint: "https://127.0.0.1:1",
      run: (ctx) => {
        sent.push(ctx.subscriptionId ?? "");
        return Promise.resolve({} as never);
      },
    });
    await reader.getById(" /subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/a/slots/b ", "2024-01-01");
    expect(sent).toEqual(["s1"]);
  });
});
