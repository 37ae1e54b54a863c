import { describe, expect, it } from "vitest";

import { carryForwardIndex } from "../../../lib/azure/carry-forward.js";
import type { ExportResource } from "../../../lib/topology/export-format.js";

const resource = (i: number, type = "Microsoft.Network/networkInterfaces"): ExportResource => ({
  key: `/subscriptions/s/resourcegroups/g/providers/${type.toLowerCase()}/r${i}`,
  id: `/subscriptions/s/resourceGroups/g/providers/${type}/r${i}`,
  type,
  name: `r${i}`,
  subscriptionId: "s",
  resourceGroup: "g",
});

/**
 * Array iterator steps taken while `fn` runs: spreading an array walks all of it, so an index
 * built by copying a growing array takes quadratically many. A count, not a clock.
 */
function iteratorSteps(fn: () => void): number {
  const proto = Array.prototype as unknown as { [Symbol.iterator]: () => Iterator<unknown> };
  const original = proto[Symbol.iterator];
  let steps = 0;
  proto[Symbol.iterator] = function (this: unknown[]) {
    const inner = original.call(this);
    return {
      next: () => {
        steps += 1;
        return inner.next();
      },
      [Symbol.iterator]() {
        return this;
      },
    } as Iterator<unknown>;
  };
  try {
    fn();
  } finally {
    proto[Symbol.iterator] = original;
  }
  return steps;
}

describe("carryForwardIndex", () => {
  it("groups the wanted previous resources by lower-cased type, in order", () => {
    const rs = [resource(1), resource(2, "Microsoft.Web/sites"), resource(3)];
    const index = carryForwardIndex(rs, (r) => r.name !== "r3");
    expect([...index.keys()]).toEqual(["microsoft.network/networkinterfaces", "microsoft.web/sites"]);
    expect(index.get("microsoft.network/networkinterfaces")?.map((r) => r.name)).toEqual(["r1"]);
  });

  it("issue 13 case 10: is linear in the size of one type (4,000 resources: a few steps each, not one per pair)", () => {
    const n = 4_000;
    const rs = Array.from({ length: n }, (_, i) => resource(i));
    let index: Map<string, ExportResource[]> | undefined;
    const steps = iteratorSteps(() => {
      index = carryForwardIndex(rs);
    });
    expect(index?.get("microsoft.network/networkinterfaces")).toHaveLength(n);
    expect(steps).toBeLessThan(10 * n);
  });
});
