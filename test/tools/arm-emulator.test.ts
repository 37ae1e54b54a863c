import { existsSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { request } from "node:https";

import { RestError } from "@azure/core-rest-pipeline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { type ArmEmulator, type FaultKind, routeTemplates, startArmEmulator } from "../../tools/arm-emulator/index.js";
import { armClient, armGet, armListAll } from "../support/arm.js";
import { devSub, ids, manyResources, prodSub, smallEstate } from "./arm-emulator/estate-fixture.js";

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A GET without the SDK: exact headers, no retries, no keep-alive. Rejects on a socket error. */
function rawGet(
  emulator: ArmEmulator,
  path: string,
  headers: Record<string, string> = { authorization: "Bearer t" },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.url}${path}`, { ca: emulator.ca, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function errorCode(response: RawResponse): string {
  return (JSON.parse(response.text) as { error: { code: string } }).error.code;
}

async function rejection(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RestError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const started: ArmEmulator[] = [];
async function emulatorWith(options: Partial<Parameters<typeof startArmEmulator>[0]>): Promise<ArmEmulator> {
  const emulator = await startArmEmulator({ estate: smallEstate(), throttle: "off", ...options });
  started.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

const noRetries = { retryOptions: { maxRetries: 0 } };
const estate = smallEstate();

describe("ARM emulator with the real ResourceManagementClient", () => {
  let emulator: ArmEmulator;
  beforeAll(async () => {
    emulator = await startArmEmulator({ estate, throttle: "off", pageSize: 4 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("lists every resource exactly once across many pages (pageSize 3, 50 resources)", async () => {
    const paging = await emulatorWith({ estate: manyResources(50), pageSize: 3 });
    const client = armClient(paging, prodSub, noRetries);
    const pageSizes: number[] = [];
    const received: string[] = [];
    for await (const page of client.resources.list().byPage()) {
      pageSizes.push(page.length);
      received.push(...page.map((r) => r.id ?? ""));
    }
    const expected = manyResources(50).subscriptions[0]?.resources.map((r) => r.id) ?? [];
    expect(received).toHaveLength(50);
    expect(new Set(received)).toEqual(new Set(expected));
    expect(pageSizes).toEqual([...Array<number>(16).fill(3), 2]);
    expect(paging.requestLog().byRoute[routeTemplates.resources]).toEqual({ "200": 17 });
  });

  it("pages a provider list the same way, with full objects", async () => {
    const paging = await emulatorWith({ estate: manyResources(50), pageSize: 3 });
    const client = armClient(paging, prodSub, noRetries);
    const items = await armListAll(
      client,
      `${paging.url}/subscriptions/${prodSub}/providers/Microsoft.Network/publicIPAddresses?api-version=2023-01-01`,
    );
    expect(items).toEqual(manyResources(50).subscriptions[0]?.resources);
  });

  it("filters the generic list by type, case-insensitively, and returns the envelope only", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const sites = [];
    for await (const r of client.resources.list({ filter: "resourceType eq 'microsoft.web/SITES'", expand: "createdTime" })) sites.push(r);
    expect(sites.map((s) => s.id)).toEqual([ids.site, ids.api]);
    for (const site of sites) {
      expect(site.type).toBe("Microsoft.Web/sites");
      expect(site.kind).toBe("app");
      expect(site.tags?.env).toBe("prod");
      expect(site.identity?.type).toBe("UserAssigned");
      expect(site.properties).toBeUndefined();
    }
    const databases = [];
    for await (const r of client.resources.list({ filter: "resourceType eq 'Microsoft.Sql/servers/databases'", top: 1 })) {
      databases.push(r.id);
    }
    expect(databases).toEqual([ids.dbOrders, ids.dbUsers]);
  });

  it("leaves out of the generic list children without a location (embedded subnets) but serves them by id", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const all = [];
    for await (const r of client.resources.list()) all.push(r.type);
    expect(all).not.toContain("Microsoft.Network/virtualNetworks/subnets");
    expect(all).toHaveLength(9);
    const subnet = await client.resources.getById(ids.subnetData, "2024-05-01");
    expect(subnet.id).toBe(ids.subnetData);
    expect(subnet.type).toBe("Microsoft.Network/virtualNetworks/subnets");
    expect(subnet.properties).toMatchObject({ addressPrefix: "10.0.2.0/24" });
  });

  it("answers a provider type list with full properties, for a subscription and for a group", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const sites = await armListAll(client, `${emulator.url}/subscriptions/${prodSub}/providers/Microsoft.Web/sites?api-version=2024-04-01`);
    const expected = estate.subscriptions[0]?.resources.filter((r) => r.type === "Microsoft.Web/sites");
    expect(sites).toEqual(expected);
    expect(sites[0]?.properties).toMatchObject({ serverFarmId: expect.stringContaining("serverFarms") as unknown });

    const inGroup = await armListAll(
      client,
      `${emulator.url}/subscriptions/${prodSub}/resourceGroups/RG-DATA/providers/microsoft.sql/servers?api-version=2023-08-01`,
    );
    expect(inGroup.map((r) => r.id)).toEqual([ids.sqlServer]);
    const elsewhere = await armListAll(
      client,
      `${emulator.url}/subscriptions/${prodSub}/resourceGroups/rg-web/providers/Microsoft.Sql/servers?api-version=2023-08-01`,
    );
    expect(elsewhere).toEqual([]);
  });

  it("gets a resource by an id cased differently, answering with the estate's casing", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const shouted = ids.dbOrders.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/");
    const db = await client.resources.getById(shouted, "2023-08-01");
    expect(db.id).toBe(ids.dbOrders);
    expect(db.name).toBe("orders");
    expect(db.sku?.name).toBe("GP_Gen5");
    expect(db.properties).toEqual(estate.subscriptions[0]?.resources.find((r) => r.id === ids.dbOrders)?.properties);
    const site = await client.resources.getById(ids.site.replace("resourceGroups", "resourcegroups").toLowerCase(), "2024-11-01-preview");
    expect(site.id).toBe(ids.site);
  });

  it("lists children under a parent: explicit databases and embedded subnets", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const dbs = await armListAll(client, `${emulator.url}${ids.sqlServer.toLowerCase()}/databases?api-version=2023-08-01`);
    expect(dbs.map((d) => d.id)).toEqual([ids.dbOrders, ids.dbUsers]);
    const subnets = await armListAll(client, `${emulator.url}${ids.vnet}/subnets?api-version=2024-05-01`);
    expect(subnets.map((s) => s.name)).toEqual(["snet-app", "snet-data"]);
    const missing = await armGet(client, `${emulator.url}${ids.sqlServer}-gone/databases?api-version=2023-08-01`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: "ParentResourceNotFound" } });
  });

  it("lists providers with every type, child types included, and their api-versions newest first", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const providers = [];
    for await (const p of client.providers.list()) providers.push(p);
    const types = new Map(providers.flatMap((p) => (p.resourceTypes ?? []).map((t) => [`${p.namespace}/${t.resourceType}`, t] as const)));
    expect(types.get("Microsoft.Web/sites")?.apiVersions).toEqual(["2024-11-01-preview", "2024-04-01", "2023-12-01"]);
    expect(types.get("Microsoft.Web/serverfarms")?.apiVersions).toEqual(["2023-01-01"]);
    expect(types.get("Microsoft.Sql/servers/databases")?.apiVersions).toEqual(["2023-08-01", "2021-11-01"]);
    expect(types.get("Microsoft.Network/virtualNetworks/subnets")?.apiVersions).toEqual(["2024-05-01", "2023-09-01"]);
    expect(types.get("Microsoft.Network/networkInterfaces/ipConfigurations")).toBeDefined();
    expect(types.get("Microsoft.Web/sites")?.locations).toEqual(["westeurope"]);
    const sql = await client.providers.get("MICROSOFT.SQL");
    expect(sql.namespace).toBe("Microsoft.Sql");
  });

  it("refuses an api-version the type does not offer, with ARM's NoRegisteredProviderFound", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const error = await rejection(client.resources.getById(ids.site, "2020-01-01"));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("NoRegisteredProviderFound");
    expect(error.message).toContain("The supported api-versions are '2024-11-01-preview, 2024-04-01, 2023-12-01'");
    const list = await armGet(client, `${emulator.url}/subscriptions/${prodSub}/providers/Microsoft.Web/sites?api-version=2023-01-01`);
    expect(list.status).toBe(400);
    expect(list.body).toMatchObject({ error: { code: "NoRegisteredProviderFound" } });
    const unknownType = await armGet(
      client,
      `${emulator.url}/subscriptions/${prodSub}/providers/Microsoft.Web/nope?api-version=2023-01-01`,
    );
    expect(unknownType.body).toMatchObject({ error: { code: "InvalidResourceType" } });
  });

  it("answers 404 ResourceNotFound, ResourceGroupNotFound and SubscriptionNotFound", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const gone = await rejection(client.resources.getById(`${ids.site}-gone`, "2024-04-01"));
    expect([gone.statusCode, gone.code]).toEqual([404, "ResourceNotFound"]);
    const noGroup = await rejection(client.resources.getById(ids.site.replace("rg-web", "rg-nope"), "2024-04-01"));
    expect([noGroup.statusCode, noGroup.code]).toEqual([404, "ResourceGroupNotFound"]);
    const other = armClient(emulator, "99999999-9999-9999-9999-999999999999", noRetries);
    const noSub = await rejection(other.resources.list().next());
    expect([noSub.statusCode, noSub.code]).toEqual([404, "SubscriptionNotFound"]);
  });

  it("derives resource groups from ids, with the first resource's location", async () => {
    const client = armClient(emulator, prodSub, noRetries);
    const groups = [];
    for await (const g of client.resourceGroups.list()) groups.push([g.name, g.location]);
    expect(groups).toEqual([
      ["rg-web", "westeurope"],
      ["RG-Data", "westeurope"],
      ["rg-net", "westeurope"],
    ]);
    const dev = armClient(emulator, devSub, noRetries);
    expect((await dev.resourceGroups.get("RG-DEV")).location).toBe("northeurope");
  });

  it("lists the subscriptions at tenant level", async () => {
    const response = await rawGet(emulator, "/subscriptions?api-version=2022-12-01");
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text) as { value: { subscriptionId: string; displayName: string }[] };
    expect(body.value.map((s) => [s.subscriptionId, s.displayName])).toEqual([
      [prodSub, "prod"],
      [devSub, "dev"],
    ]);
  });

  it("requires a bearer token (401) and an api-version (400), in ARM's error shape", async () => {
    const noToken = await rawGet(emulator, `/subscriptions/${prodSub}/resources?api-version=2021-04-01`, {});
    expect(noToken.status).toBe(401);
    expect(errorCode(noToken)).toBe("AuthenticationFailed");
    expect(noToken.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const basic = await rawGet(emulator, `/subscriptions/${prodSub}/resources?api-version=2021-04-01`, {
      authorization: "Basic dXNlcjpwYXNz",
    });
    expect([basic.status, errorCode(basic)]).toEqual([401, "AuthenticationFailed"]);
    const noVersion = await rawGet(emulator, `/subscriptions/${prodSub}/resources`);
    expect(noVersion.status).toBe(400);
    expect(errorCode(noVersion)).toBe("MissingApiVersionParameter");
    const ok = await rawGet(emulator, `/subscriptions/${prodSub}/resources?api-version=2021-04-01`);
    expect(ok.status).toBe(200);
  });

  it("swaps the served estate with setEstate", async () => {
    const swapped = await emulatorWith({});
    const client = armClient(swapped, prodSub, noRetries);
    await client.resources.getById(ids.site, "2024-04-01");
    const modified = smallEstate();
    const prod = modified.subscriptions[0];
    if (!prod) throw new Error("fixture has no prod subscription");
    prod.resources = prod.resources.filter((r) => r.id !== ids.site);
    swapped.setEstate(modified);
    const error = await rejection(client.resources.getById(ids.site, "2024-04-01"));
    expect(error.statusCode).toBe(404);
  });

  it("adds latency to every response", async () => {
    const slow = await emulatorWith({ latencyMs: 80 });
    const started = performance.now();
    await rawGet(slow, `/subscriptions/${prodSub}?api-version=2022-12-01`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("removes the CA file on close", async () => {
    const temporary = await startArmEmulator({ estate });
    expect(readFileSync(temporary.caCertPath, "utf8")).toBe(temporary.ca);
    await temporary.close();
    expect(existsSync(temporary.caCertPath)).toBe(false);
  });
});

describe("throttling", () => {
  it("counts down the remaining-reads header per subscription, and per tenant for tenant routes", async () => {
    const frozen = 1_000_000;
    const emulator = await emulatorWith({ throttle: { burst: 10, refillPerSecond: 1 }, now: () => frozen });
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await rawGet(emulator, `/subscriptions/${prodSub}/resources?api-version=2021-04-01`);
      remaining.push(Number(r.headers["x-ms-ratelimit-remaining-subscription-reads"]));
      expect(r.headers["x-ms-ratelimit-remaining-subscription-global-reads"]).toBe(
        r.headers["x-ms-ratelimit-remaining-subscription-reads"],
      );
    }
    expect(remaining).toEqual([9, 8, 7, 6]);
    const dev = await rawGet(emulator, `/subscriptions/${devSub}/resources?api-version=2021-04-01`);
    expect(dev.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("9");
    const tenant = await rawGet(emulator, "/subscriptions?api-version=2022-12-01");
    expect(tenant.headers["x-ms-ratelimit-remaining-tenant-reads"]).toBe("9");
    expect(tenant.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBeUndefined();
    expect(tenant.headers["x-ms-ratelimit-remaining-subscription-global-reads"]).toBeUndefined();
  });

  it("answers 429 with Retry-After and ARM's body when the bucket is empty, and refills with time", async () => {
    let now = 5_000_000;
    const emulator = await emulatorWith({ throttle: { burst: 2, refillPerSecond: 0.4 }, now: () => now });
    const path = `/subscriptions/${prodSub}/resources?api-version=2021-04-01`;
    expect((await rawGet(emulator, path)).status).toBe(200);
    expect((await rawGet(emulator, path)).status).toBe(200);
    const throttled = await rawGet(emulator, path);
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("3"); // ceil(1 token / 0.4 per s)
    expect(throttled.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("0");
    expect(errorCode(throttled)).toBe("SubscriptionRequestsThrottled");
    now += 1_000;
    expect((await rawGet(emulator, path)).headers["retry-after"]).toBe("2");
    now += 1_500;
    expect((await rawGet(emulator, path)).status).toBe(200);
    expect(emulator.requestLog()).toMatchObject({ throttled: 2, byRoute: { [routeTemplates.resources]: { "200": 3, "429": 2 } } });
  });

  it("lets the SDK recover from 429 by honouring Retry-After", async () => {
    // A slow refill, so the eight concurrent reads find the bucket empty however loaded the machine is.
    const emulator = await emulatorWith({ throttle: { burst: 4, refillPerSecond: 2 } });
    const client = armClient(emulator, prodSub, { retryOptions: { maxRetries: 3 } });
    const reads = Array.from({ length: 8 }, () => client.resources.getById(ids.site, "2024-04-01"));
    const results = await Promise.all(reads);
    expect(results.map((r) => r.id)).toEqual(Array<string>(8).fill(ids.site));
    const log = emulator.requestLog();
    expect(log.throttled).toBeGreaterThanOrEqual(2);
    expect(log.byRoute[routeTemplates.resourceById]).toEqual({ "200": 8, "429": log.throttled });
  });
});

describe("fault injection", () => {
  const kinds: [FaultKind, (e: RestError) => void][] = [
    ["internal-error", (e) => expect([e.statusCode, e.code]).toEqual([500, "InternalServerError"])],
    ["unavailable", (e) => expect([e.statusCode, e.code]).toEqual([503, "ServiceUnavailable"])],
    [
      "throttled-no-retry-after",
      (e) => {
        expect(e.statusCode).toBe(429);
        expect(e.response?.headers.get("retry-after")).toBeUndefined();
      },
    ],
    ["connection-reset", (e) => expect(e.code).toBe("ECONNRESET")],
    ["malformed-json", (e) => expect([e.statusCode, e.code]).toEqual([200, "PARSE_ERROR"])],
  ];

  it.each(kinds)("a client sees %s", async (kind, check) => {
    const emulator = await emulatorWith({ faultRate: 1, faults: [kind] });
    const client = armClient(emulator, prodSub, noRetries);
    check(await rejection(client.resources.getById(ids.site, "2024-04-01")));
    expect(emulator.requestLog().faults[kind]).toBe(1);
  });

  it("a stalled response holds until the client gives up, and close() still ends promptly", async () => {
    const emulator = await emulatorWith({ faultRate: 1, faults: ["stall"] });
    const client = armClient(emulator, prodSub, noRetries);
    const started = performance.now();
    const error = await rejection(client.resources.getById(ids.site, "2024-04-01", { abortSignal: AbortSignal.timeout(150) })).catch(
      (e: unknown) => e as Error,
    );
    expect(error.name).toBe("AbortError");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const pending = rawGet(emulator, `/subscriptions/${prodSub}?api-version=2022-12-01`).catch((e: unknown) => e as Error);
    await new Promise((r) => setTimeout(r, 30));
    const closing = performance.now();
    await emulator.close();
    expect(performance.now() - closing).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    expect(emulator.requestLog().faults.stall).toBe(2);
  });

  it("the SDK's own retries meet the faults too: each attempt is counted", async () => {
    const emulator = await emulatorWith({ faultRate: 1, faults: ["internal-error", "connection-reset"], seed: 3 });
    const client = armClient(emulator, prodSub, { retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 10 } });
    await rejection(client.resources.getById(ids.site, "2024-04-01"));
    const log = emulator.requestLog();
    expect(log.total).toBe(3);
    expect(log.faults["internal-error"] + log.faults["connection-reset"]).toBe(3);
  });

  it("draws the same faults for the same seed, and other faults for another seed", async () => {
    const outcomes = async (seed: number): Promise<string[]> => {
      const emulator = await emulatorWith({
        faultRate: 0.5,
        seed,
        faults: ["internal-error", "unavailable", "throttled-no-retry-after", "connection-reset", "malformed-json"],
      });
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        try {
          const r = await rawGet(emulator, `/subscriptions/${prodSub}?api-version=2022-12-01`);
          seen.push(r.status === 200 && !r.text.endsWith("}") ? "malformed" : String(r.status));
        } catch {
          seen.push("reset");
        }
      }
      return seen;
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(await outcomes(7)).not.toEqual(first);
    expect(new Set(first).size).toBeGreaterThanOrEqual(4);
    expect(first.filter((o) => o === "200").length).toBeGreaterThan(5);
  });
});

describe("the intercept test hook", () => {
  it("sees each request on arrival with its page, and fails, rewrites or adds headers to exactly the ones it picks", async () => {
    const seen: Array<[string, number]> = [];
    const emulator = await emulatorWith({
      pageSize: 1,
      intercept: (r) => {
        seen.push([r.template, r.page]);
        if (r.template !== routeTemplates.resources) return undefined;
        if (r.page === 1) return { fault: "unavailable" };
        if (r.page === 2) return { respond: (normal) => ({ ...normal, body: { value: [], nextLink: r.url.toString() } }) };
        return { headers: { "x-test": "yes" } };
      },
    });
    const first = await rawGet(emulator, `/subscriptions/${prodSub}/resources?api-version=2021-04-01`);
    expect(first.status).toBe(200);
    expect(first.headers["x-test"]).toBe("yes");
    const next = (JSON.parse(first.text) as { nextLink: string }).nextLink;
    const second = await rawGet(emulator, next.slice(emulator.url.length));
    expect([second.status, errorCode(second)]).toEqual([503, "ServiceUnavailable"]);
    const third$ = new URL(next);
    third$.searchParams.set("$skiptoken", Buffer.from("offset:2").toString("base64url"));
    const thirdLink = third$.toString();
    const third = await rawGet(emulator, thirdLink.slice(emulator.url.length));
    const rewritten = JSON.parse(third.text) as { value: unknown[]; nextLink: string };
    expect(rewritten.value).toEqual([]);
    expect(new URL(rewritten.nextLink).searchParams.get("$skiptoken")).toBe(new URL(thirdLink).searchParams.get("$skiptoken"));
    expect(seen).toEqual([
      [routeTemplates.resources, 0],
      [routeTemplates.resources, 1],
      [routeTemplates.resources, 2],
    ]);
    expect(emulator.requestLog().faults.unavailable).toBe(1);
  });
});
