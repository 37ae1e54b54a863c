import { describe, expect, it } from "vitest";

import { matchRoute, routeTemplates } from "../../../tools/arm-emulator/routes.js";

const sub = "/subscriptions/S1";

describe("matchRoute", () => {
  it.each([
    ["/subscriptions", routeTemplates.subscriptions, "tenant"],
    [`${sub}`, routeTemplates.subscription, "subscription"],
    [`${sub}/resourcegroups`, routeTemplates.resourceGroups, "subscription"],
    [`${sub}/resourceGroups/rg1`, routeTemplates.resourceGroup, "subscription"],
    [`${sub}/resources`, routeTemplates.resources, "subscription"],
    [`${sub}/resourceGroups/rg1/resources`, routeTemplates.resourceGroupResources, "subscription"],
    [`${sub}/providers`, routeTemplates.providers, "subscription"],
    [`${sub}/providers/Microsoft.Web`, routeTemplates.provider, "subscription"],
    [`${sub}/providers/Microsoft.Web/sites`, routeTemplates.typeList, "subscription"],
    [`${sub}/resourceGroups/rg1/providers/Microsoft.Web/sites`, routeTemplates.resourceGroupTypeList, "subscription"],
    [`${sub}/resourceGroups/rg1/providers/Microsoft.Sql/servers/s1/databases`, routeTemplates.childList, "subscription"],
    [`${sub}/resourceGroups/rg1/providers/Microsoft.Sql/servers/s1/databases/db1`, routeTemplates.resourceById, "subscription"],
    [`${sub}/resourceGroups/rg1/providers/Microsoft.Web/sites/a1`, routeTemplates.resourceById, "subscription"],
    ["/providers/Microsoft.Management/getEntities", routeTemplates.entities, "tenant"],
    ["/providers/Microsoft.Management/managementGroups", routeTemplates.unknown, "tenant"],
    ["/tenants", routeTemplates.unknown, "tenant"],
  ])("%s -> %s", (path, template, scope) => {
    const match = matchRoute(path);
    expect(match.template).toBe(template);
    expect(match.scope.kind).toBe(scope);
  });

  it("matches keywords in any case and tolerates doubled and trailing slashes", () => {
    const match = matchRoute("//SUBSCRIPTIONS/S1/RESOURCEGROUPS/rg1/PROVIDERS/Microsoft.Web/sites/a1/");
    expect(match.template).toBe(routeTemplates.resourceById);
    expect(match.path).toBe("/SUBSCRIPTIONS/S1/RESOURCEGROUPS/rg1/PROVIDERS/Microsoft.Web/sites/a1");
    expect(match.target).toMatchObject({
      kind: "resource",
      path: { namespace: "Microsoft.Web", types: ["sites"], names: ["a1"], resourceGroup: "rg1" },
    });
  });

  it("decodes percent-encoded names but keeps the encoded path for links", () => {
    const match = matchRoute(`${sub}/resourceGroups/rg%20one/providers/Microsoft.Web/sites/a1`);
    expect(match.path).toContain("rg one");
    expect(match.encodedPath).toContain("rg%20one");
  });
});
