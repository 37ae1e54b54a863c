import { Agent, request } from "node:https";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ArmHttpReader } from "../../../lib/azure/arm-http.js";
import { newCallStats } from "../../../lib/azure/arm-reader.js";
import { runDiscovery } from "../../../lib/azure/discover.js";
import { ancestryOf, MANAGEMENT_GROUP_TYPE, readManagementGroups } from "../../../lib/azure/management-groups.js";
import { exportSchema } from "../../../lib/topology/export-format.js";
import { emulatorTenantId } from "../../../tools/arm-emulator/handlers/context.js";
import { type ArmEmulator, type Interception, routeTemplates, startArmEmulator } from "../../../tools/arm-emulator/index.js";
import { parseEstate } from "../../../tools/estates/schema.js";
import { emulatorCredential } from "../../support/arm.js";
import { devSub, prodSub, smallEstate } from "../../tools/arm-emulator/estate-fixture.js";

/** The small estate with tenant root → mg-platform → mg-apps → prod; dev is under no group. */
const estate = {
  ...smallEstate(),
  managementGroups: [
    { name: "mg-apps", displayName: "Applications", parent: "mg-platform", subscriptions: [prodSub] },
    { name: "mg-platform", displayName: "Platform", subscriptions: [] },
  ],
};

describe("management groups against the emulator", () => {
  let emulator: ArmEmulator;
  let intercept: Interception | undefined;

  beforeAll(async () => {
    emulator = await startArmEmulator({
      estate,
      pageSize: 2,
      throttle: "off",
      intercept: (r) => (r.template === routeTemplates.entities ? intercept : undefined),
    });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    intercept = undefined;
    emulator.setEstate(estate);
    emulator.resetLog();
  });

  // Plain calls (no retry): one failed answer fails the read.
  const reader = () =>
    new ArmHttpReader({ credential: emulatorCredential, endpoint: emulator.url, agent: new Agent({ ca: emulator.ca, keepAlive: true }) });

  it("serves getEntities to POST only, paged with nextLink (POSTed too)", async () => {
    const pages: unknown[][] = [];
    for await (const page of reader().listEntities(newCallStats())) pages.push(page);
    // The root, two groups and one subscription, two a page.
    expect(pages.map((p) => p.length)).toEqual([2, 2]);
    expect(pages.flat()).toContainEqual(
      expect.objectContaining({
        id: `/subscriptions/${prodSub}`,
        type: "/subscriptions",
        name: prodSub,
        properties: expect.objectContaining({
          parent: { id: "/providers/Microsoft.Management/managementGroups/mg-apps" },
          parentNameChain: [emulatorTenantId, "mg-platform", "mg-apps"],
        }),
      }),
    );
    expect(emulator.requestLog().byRoute[routeTemplates.entities]).toEqual({ 200: 2 });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL("/providers/Microsoft.Management/getEntities?api-version=2020-05-01", emulator.url);
      request(url, { method: "GET", ca: emulator.ca, headers: { authorization: "Bearer x" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(405);
  });

  it("puts each subscription's groups, nearest first, in the export of a run that reads Azure DevOps", async () => {
    const out = await runDiscovery({ reader: reader(), devops: [] });
    expect(exportSchema.safeParse(out).success).toBe(true);
    expect(out.scope.managementGroups).toEqual({ [prodSub]: ["mg-apps", "mg-platform", emulatorTenantId] });
    // dev is under no visible group: it has no entry at all.
    expect(out.scope.managementGroups).not.toHaveProperty(devSub);
    expect(out.errors).toEqual([]);
    expect(emulator.requestLog().byRoute[routeTemplates.entities]).toEqual({ 200: 2 });
  });

  it("reads no groups in a run without Azure DevOps", async () => {
    const out = await runDiscovery({ reader: reader() });
    expect(out.scope).not.toHaveProperty("managementGroups");
    expect(emulator.requestLog().byRoute[routeTemplates.entities]).toBeUndefined();
  });

  it("an estate without groups gives an empty ancestry", async () => {
    emulator.setEstate(smallEstate());
    const out = await runDiscovery({ reader: reader(), devops: [] });
    expect(out.scope.managementGroups).toEqual({});
  });

  it("a 403 is a note and no ancestry, not an error", async () => {
    intercept = {
      respond: () => ({
        status: 403,
        body: { error: { code: "AuthorizationFailed", message: "no access to Microsoft.Management/getEntities" } },
      }),
    };
    const out = await runDiscovery({ reader: reader(), devops: [] });
    expect(out.errors).toEqual([]);
    expect(out.scope).not.toHaveProperty("managementGroups");
    expect(out.scope.notes).toEqual([expect.stringContaining("management groups not visible (403 AuthorizationFailed)")]);
  });

  it("a failure is a run error and keeps the previous ancestry", async () => {
    intercept = { fault: "internal-error" };
    const previous = { [prodSub]: ["mg-old"] };
    const read = await readManagementGroups({ reader: reader(), stats: newCallStats(), previous: () => previous });
    expect(read.managementGroups).toEqual(previous);
    expect(read.errors).toEqual([
      expect.objectContaining({ subscriptionId: "*", type: MANAGEMENT_GROUP_TYPE, code: "InternalServerError" }),
    ]);
    const out = await runDiscovery({ reader: reader(), devops: [] });
    expect(out.errors).toEqual([expect.objectContaining({ type: MANAGEMENT_GROUP_TYPE })]);
    expect(out.scope).not.toHaveProperty("managementGroups");
  });

  it("a read stopped by its signal (a deadline) is a run error of its own, the previous ancestry kept", async () => {
    const previous = { [prodSub]: ["mg-old"] };
    const read = await readManagementGroups({
      reader: reader(),
      stats: newCallStats(),
      previous: () => previous,
      signal: AbortSignal.abort(),
    });
    expect(read).toEqual({
      managementGroups: previous,
      errors: [expect.objectContaining({ subscriptionId: "*", type: MANAGEMENT_GROUP_TYPE, code: "ReadStopped", attempts: 1 })],
      notes: [],
    });
  });
});

describe("ancestryOf", () => {
  const group = (name: string, parent: string | null) => ({
    id: `/providers/Microsoft.Management/managementGroups/${name}`,
    type: "Microsoft.Management/managementGroups",
    name,
    properties: { parent: parent === null ? null : { id: `/providers/Microsoft.Management/managementGroups/${parent}` } },
  });
  const subscription = (id: string, parent: string | undefined) => ({
    id: `/subscriptions/${id}`,
    type: "/subscriptions",
    name: id,
    properties: parent === undefined ? {} : { parent: { id: `/providers/Microsoft.Management/managementGroups/${parent}` } },
  });

  it("stops at the first group it cannot see, and never loops", () => {
    // mg-b's parent (mg-hidden) is named but not visible: the chain ends there.
    expect(ancestryOf([group("mg-b", "mg-hidden"), subscription("S1", "mg-b")])).toEqual({ s1: ["mg-b", "mg-hidden"] });
    expect(ancestryOf([group("a", "b"), group("b", "a"), subscription("s2", "a")])).toEqual({ s2: ["a", "b"] });
    expect(ancestryOf([subscription("s3", undefined), { id: 1 }, null])).toEqual({});
  });
});

describe("estate file management groups", () => {
  it("are optional, and a parent must name a group of the estate", () => {
    const base = { subscriptions: [{ subscriptionId: "s", resources: [] }] };
    expect(parseEstate(base).managementGroups).toBeUndefined();
    expect(() => parseEstate({ ...base, managementGroups: [{ name: "a", parent: "nope" }] })).toThrow(
      /managementGroups\[0\]\.parent: names no management group/,
    );
    expect(() =>
      parseEstate({
        ...base,
        managementGroups: [
          { name: "a", parent: "b" },
          { name: "b", parent: "a" },
        ],
      }),
    ).toThrow(/cycle/);
  });
});
