import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { generateTable, projectTable, renderTable, tableFile } from "../../tools/back-references/generate.js";
import { armTypeOfPath } from "../../tools/back-references/operations.js";

const excerpt = fileURLToPath(new URL("../fixtures/back-references/arm-excerpt", import.meta.url));

describe("the back-reference generator", () => {
  it("reads read-only reference paths per ARM type from a package excerpt", () => {
    const table = generateTable([excerpt]);
    expect(table.sources).toEqual([{ package: "@azure/arm-excerpt", version: "1.2.3" }]);
    expect(table.types).toEqual({
      // Read-only lists of ids in the mappers.
      "microsoft.network/ddosprotectionplans": ["properties.publicIPAddresses", "properties.virtualNetworks"],
      // `readonly` in index.d.ts although the mapper leaves readOnly out; natGateway stays writable.
      "microsoft.network/publicipaddresses": ["properties.ipConfiguration"],
      // The same model read at a child path of another provider is typed by that path.
      "microsoft.compute/virtualmachinescalesets/virtualmachines/networkinterfaces/ipconfigurations/publicipaddresses": [
        "properties.ipConfiguration",
      ],
      "microsoft.network/virtualnetworks/subnets": ["properties.ipConfigurations"],
      // networkAcls is read-only in the read model but written through the create body: no mirror.
      "microsoft.storage/storageaccounts": ["properties.privateEndpointConnections"],
    });
  });

  it("types operation paths as ARM types, and only single-resource paths", () => {
    expect(armTypeOfPath("/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/ddosProtectionPlans/{n}")).toBe(
      "microsoft.network/ddosprotectionplans",
    );
    expect(armTypeOfPath("/{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}")).toBe(
      "microsoft.insights/diagnosticsettings",
    );
    expect(armTypeOfPath("/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Web/sites/{n}/config/web")).toBe(
      "microsoft.web/sites/config",
    );
    expect(armTypeOfPath("/subscriptions/{s}/providers/Microsoft.Network/ddosProtectionPlans")).toBeUndefined();
    expect(
      armTypeOfPath("/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{n}/instanceView"),
    ).toBeUndefined();
    expect(
      armTypeOfPath(
        "/subscriptions/{s}/resourceGroups/{g}/providers/{resourceProviderNamespace}/{parentResourcePath}/{resourceType}/{resourceName}",
      ),
    ).toBeUndefined();
  });

  it("committed lib/topology/generated/back-references.json equals what the installed packages generate", () => {
    // If this fails after adding or upgrading an @azure/arm-* package: npm run gen:back-references.
    expect(renderTable(projectTable())).toBe(readFileSync(tableFile, "utf8"));
  });
});
