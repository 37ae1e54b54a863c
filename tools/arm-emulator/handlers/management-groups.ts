import type { Estate, EstateManagementGroup } from "../../estates/schema.js";
import type { ArmResponse } from "../arm-errors.js";
import { page } from "../paging.js";
import { emulatorTenantId, type HandlerContext } from "./context.js";

const groupId = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`;

/**
 * The estate's management groups and the subscriptions under them as `getEntities` lists them
 * (Microsoft.Management 2020-05-01 `EntityInfo`): groups first, tenant root down, then the
 * subscriptions. `parentNameChain` runs from the tenant root to the parent. The tenant root group
 * (named by the tenant id) is not an estate group: it is served first, as the parent of the top
 * groups, whenever the estate has groups.
 */
export function entitiesOf(estate: Estate): unknown[] {
  const groups = estate.managementGroups ?? [];
  const byName = new Map(groups.map((g) => [g.name.toLowerCase(), g]));
  const chainOf = (g: EstateManagementGroup): EstateManagementGroup[] => {
    const chain: EstateManagementGroup[] = [];
    for (let at = g.parent && byName.get(g.parent.toLowerCase()); at; at = at.parent && byName.get(at.parent.toLowerCase()))
      chain.unshift(at);
    return chain;
  };
  const displayName = new Map(estate.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.displayName]));
  const entity = (
    id: string,
    type: string,
    name: string,
    shown: string,
    parent: EstateManagementGroup | undefined,
    chain: EstateManagementGroup[],
  ) => ({
    id,
    type,
    name,
    properties: {
      tenantId: emulatorTenantId,
      displayName: shown,
      parent: { id: parent === undefined ? groupId(emulatorTenantId) : groupId(parent.name) },
      permissions: "view",
      inheritedPermissions: "view",
      parentDisplayNameChain: ["Tenant Root Group", ...chain.map((c) => c.displayName ?? c.name)],
      parentNameChain: [emulatorTenantId, ...chain.map((c) => c.name)],
    },
  });
  const ordered = [...groups].sort((a, b) => chainOf(a).length - chainOf(b).length);
  if (groups.length === 0) return [];
  const root = {
    id: groupId(emulatorTenantId),
    type: "Microsoft.Management/managementGroups",
    name: emulatorTenantId,
    properties: {
      tenantId: emulatorTenantId,
      displayName: "Tenant Root Group",
      parent: null,
      permissions: "view",
      inheritedPermissions: "view",
      parentDisplayNameChain: [],
      parentNameChain: [],
    },
  };
  return [
    root,
    ...ordered.map((g) => {
      const parent = g.parent === undefined ? undefined : byName.get(g.parent.toLowerCase());
      return entity(groupId(g.name), "Microsoft.Management/managementGroups", g.name, g.displayName ?? g.name, parent, chainOf(g));
    }),
    ...ordered.flatMap((g) =>
      g.subscriptions.map((s) =>
        entity(`/subscriptions/${s}`, "/subscriptions", s, displayName.get(s.toLowerCase()) ?? s, g, [...chainOf(g), g]),
      ),
    ),
  ];
}

/** `POST /providers/Microsoft.Management/getEntities`: the estate's hierarchy, paged like every list. */
export function listEntities(ctx: HandlerContext): ArmResponse {
  return page(entitiesOf(ctx.index.estate), ctx);
}
