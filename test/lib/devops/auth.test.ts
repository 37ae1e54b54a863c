import type { TokenCredential } from "@azure/core-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AZURE_DEVOPS_RESOURCE, connectDevOps, devopsAuthOf } from "../../../lib/devops/index.js";
import { createLogger, type LogRecord } from "../../../lib/log/index.js";
import { type DevOpsEmulator, startDevOpsEmulator } from "../../../tools/devops-emulator/server.js";
import { sampleOrg } from "../../support/devops.js";

describe("Azure DevOps authentication", () => {
  let em: DevOpsEmulator;
  beforeAll(async () => {
    em = await startDevOpsEmulator({ org: sampleOrg(), pat: "pat-secret-value", bearerToken: "entra-secret-value" });
  });
  afterAll(async () => {
    await em?.close();
  });

  function recorder() {
    const records: LogRecord[] = [];
    const lines: string[] = [];
    return { records, lines, log: createLogger({ write: (line, record) => (lines.push(line), records.push(record)) }) };
  }

  it("gets an Entra token for Azure DevOps' resource and logs that it does, not the token", async () => {
    const scopes: unknown[] = [];
    const credential: TokenCredential = {
      getToken: async (s) => (scopes.push(s), { token: "entra-secret-value", expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const { lines, log } = recorder();
    const api = await connectDevOps({ orgUrl: em.orgUrl, auth: devopsAuthOf({}, credential), caFile: em.caCertPath, log });
    expect((await (await api.getCoreApi()).getProjects()).map((p) => p.name)).toEqual(["web"]);
    expect(scopes).toEqual([`${AZURE_DEVOPS_RESOURCE}/.default`]);
    expect(lines.join("\n")).toMatch(/"auth":"entra"/);
    expect(lines.join("\n")).not.toContain("entra-secret-value");
    expect(em.requestLog().auth.bearer).toBeGreaterThan(0);
  });

  it("uses the PAT when DEVOPS_PAT is set and logs that it does, not the PAT", async () => {
    const credential: TokenCredential = { getToken: () => Promise.reject(new Error("not used")) };
    const { lines, log } = recorder();
    const api = await connectDevOps({
      orgUrl: em.orgUrl,
      auth: devopsAuthOf({ DEVOPS_PAT: "pat-secret-value" }, credential),
      caFile: em.caCertPath,
      log,
    });
    expect((await (await api.getCoreApi()).getProjects()).map((p) => p.name)).toEqual(["web"]);
    expect(lines.join("\n")).toMatch(/"auth":"pat"/);
    expect(lines.join("\n")).not.toContain("pat-secret-value");
    expect(em.requestLog().auth.basic).toBeGreaterThan(0);
  });
});
