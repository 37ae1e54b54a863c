import { request } from "node:https";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checkApiVersion } from "../../../tools/devops-emulator/locations.js";
import { type DevOpsEmulator, startDevOpsEmulator } from "../../../tools/devops-emulator/server.js";
import { devopsClient, sampleOrg } from "../../support/devops.js";

/** A raw GET with basic auth, for what the typed client hides (headers, statuses). */
function rawGet(
  em: DevOpsEmulator,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${em.url}${path}`,
      { ca: em.ca, headers: { authorization: `Basic ${Buffer.from(":emulator-pat").toString("base64")}`, ...headers } },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("Azure DevOps emulator with the real azure-devops-node-api client", () => {
  let em: DevOpsEmulator;
  let clock = 1_000_000;
  beforeAll(async () => {
    em = await startDevOpsEmulator({ org: sampleOrg(), pageSize: 2, limit: { perMinute: 1000 }, now: () => clock });
  });
  afterAll(async () => {
    await em?.close();
  });

  it("answers the client's resource-area and OPTIONS location discovery, then its typed calls", async () => {
    em.resetLog();
    const api = devopsClient(em);
    const projects = await (await api.getCoreApi()).getProjects();
    expect(projects.map((p) => p.name)).toEqual(["web"]);
    const repos = await (await api.getGitApi()).getRepositories("web");
    expect(repos.map((r) => r.name)).toEqual(["web-app", "platform-infra"]);
    const endpoints = await (await api.getServiceEndpointApi()).getServiceEndpoints("web");
    expect(endpoints.map((e) => e.name)).toEqual(["sc-web-prod", "sc-aks-prod", "sc-platform", "sc-corp", "sc-landing-zone"]);
    const env = await (await api.getTaskAgentApi()).getEnvironmentById("web", 1, 1 /* ResourceReferences */);
    expect(env.resources?.map((r) => r.name)).toEqual(["web"]);
    const k8s = await (await api.getTaskAgentApi()).getKubernetesResource("web", 1, 1);
    expect(k8s.clusterName).toBe("aks-prod-weu");
    const log = em.requestLog();
    expect(log.byRoute["OPTIONS /contoso/_apis/location"]).toEqual({ "200": 1 });
    expect(log.byRoute["GET /contoso/_apis/resourceareas"]).toEqual({ "200": 1 });
    expect(log.byRoute["OPTIONS /contoso/_apis/core"]).toEqual({ "200": 1 });
    expect(log.auth.basic).toBe(log.total);
  });

  it("accepts bearer tokens and rejects a wrong PAT or token with 401", async () => {
    const projects = await (await devopsClient(em, { bearer: "emulator-token" }).getCoreApi()).getProjects();
    expect(projects).toHaveLength(1);
    await expect(devopsClient(em, { pat: "wrong" }).getCoreApi()).rejects.toThrow();
    const res = await rawGet(em, "/contoso/_apis/projects?api-version=7.1", { authorization: "Bearer nope" });
    expect(res.status).toBe(401);
  });

  it("checks api-versions: from the query or the Accept header; preview needed at 7.2", async () => {
    expect((await rawGet(em, "/contoso/_apis/projects")).status).toBe(400);
    expect((await rawGet(em, "/contoso/_apis/projects?api-version=9.0")).status).toBe(400);
    expect((await rawGet(em, "/contoso/_apis/projects", { accept: "application/json;api-version=7.2-preview.4" })).status).toBe(200);
    expect(checkApiVersion("7.2")).toMatch(/preview/);
    expect(checkApiVersion("7.1")).toBeUndefined();
  });

  it("pages with x-ms-continuationtoken until a page comes back without it", async () => {
    const ids: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await rawGet(
        em,
        `/contoso/web/_apis/build/definitions?api-version=7.1${token === undefined ? "" : `&continuationToken=${token}`}`,
      );
      ids.push(...(res.body as { value: { id: number }[] }).value.map((d) => d.id));
      token = res.headers["x-ms-continuationtoken"] as string | undefined;
      pages += 1;
    } while (token !== undefined);
    expect(ids).toEqual([1, 2, 3]);
    expect(pages).toBe(2);
  });

  it("sends the throttling headers and blocks with 429 and Retry-After past the limit", async () => {
    const small = await startDevOpsEmulator({ org: sampleOrg(), limit: { perMinute: 2 }, now: () => clock });
    try {
      const first = await rawGet(small, "/contoso/_apis/projects?api-version=7.1");
      expect(first.headers["x-ratelimit-remaining"]).toBe("1");
      expect(first.headers["x-ratelimit-limit"]).toBe("2");
      await rawGet(small, "/contoso/_apis/projects?api-version=7.1");
      const blocked = await rawGet(small, "/contoso/_apis/projects?api-version=7.1");
      expect(blocked.status).toBe(429);
      expect(blocked.headers["retry-after"]).toBe("60");
      expect(blocked.headers["x-ratelimit-resource"]).toBe("Core.ApiRequests");
      expect((blocked.body as { message: string }).message).toMatch(/TF400733/);
      clock += 60_000;
      expect((await rawGet(small, "/contoso/_apis/projects?api-version=7.1")).status).toBe(200);
      expect(small.requestLog().throttled).toBe(1);
    } finally {
      await small.close();
    }
  });

  it("injects seeded 503 faults at the set rate", async () => {
    em.setFaultRate(1);
    expect((await rawGet(em, "/contoso/_apis/projects?api-version=7.1")).status).toBe(503);
    em.setFaultRate(0);
    expect((await rawGet(em, "/contoso/_apis/projects?api-version=7.1")).status).toBe(200);
  });
});
