import { Agent } from "node:https";

import { type ArmCallSettings, createArmCalls } from "../../lib/azure/arm-calls.js";
import { ArmHttpReader, type ArmHttpReaderOptions } from "../../lib/azure/arm-http.js";
import type { ArmEmulator } from "../../tools/arm-emulator/index.js";
import type { ArmResource, Estate } from "../../tools/estates/schema.js";
import { emulatorCredential } from "./arm.js";

/** The one subscription of {@link pagedEstate}. */
export const pagedSub = "33333333-3333-3333-3333-333333333333";

/** Resource groups of {@link pagedEstate}, in the order the emulator lists them. */
export const pagedGroups = ["rg-a", "rg-b", "rg-c"] as const;

const group = (g: string) => `/subscriptions/${pagedSub}/resourceGroups/${g}`;

/** The plan every site runs on (rg-a). */
export const pagedPlan = `${group("rg-a")}/providers/Microsoft.Web/serverfarms/plan`;

/**
 * One subscription, three resource groups, each with `sitesPerGroup` sites (a top-level type read
 * by its provider list, which references the plan: an edge to lose if its full object is lost)
 * and a SQL server with `dbsPerGroup` databases (a child type, read by GET by id). Every full
 * object carries `properties.marker`, which the generic envelope does not: a resource with its
 * marker was read in full.
 */
export function pagedEstate(sitesPerGroup = 3, dbsPerGroup = 2): Estate {
  const resources: ArmResource[] = [
    { id: pagedPlan, name: "plan", type: "Microsoft.Web/serverfarms", location: "westeurope", properties: { marker: "plan" } },
  ];
  for (const g of pagedGroups) {
    for (let i = 0; i < sitesPerGroup; i++) {
      const name = `site-${g}-${i}`;
      resources.push({
        id: `${group(g)}/providers/Microsoft.Web/sites/${name}`,
        name,
        type: "Microsoft.Web/sites",
        location: "westeurope",
        properties: { marker: name, serverFarmId: pagedPlan },
      });
    }
    const server = `${group(g)}/providers/Microsoft.Sql/servers/sql-${g}`;
    resources.push({
      id: server,
      name: `sql-${g}`,
      type: "Microsoft.Sql/servers",
      location: "westeurope",
      properties: { marker: `sql-${g}` },
    });
    for (let i = 0; i < dbsPerGroup; i++) {
      const name = `db-${g}-${i}`;
      resources.push({
        id: `${server}/databases/${name}`,
        name,
        type: "Microsoft.Sql/servers/databases",
        location: "westeurope",
        properties: { marker: name },
      });
    }
  }
  return { subscriptions: [{ subscriptionId: pagedSub, displayName: "paged", resources }] };
}

/** An HTTPS reader of the emulator through the resilience composition, with quick retries. */
export function quickReader(
  emulator: ArmEmulator,
  calls: ArmCallSettings = {},
  options: Partial<ArmHttpReaderOptions> = {},
): ArmHttpReader {
  return new ArmHttpReader({
    credential: emulatorCredential,
    endpoint: emulator.url,
    agent: new Agent({ ca: emulator.ca, keepAlive: true }),
    run: createArmCalls({
      maxAttempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 2,
      attemptTimeoutMs: 5_000,
      maxTotalMs: 10_000,
      breaker: { consecutiveFailures: 1_000 },
      ...calls,
    }).run,
    ...options,
  });
}

/** True when `path` is `suffix` under the subscription, whatever the casing. */
export function isPath(path: string, suffix: string): boolean {
  return path.toLowerCase() === `/subscriptions/${pagedSub}${suffix}`.toLowerCase();
}
