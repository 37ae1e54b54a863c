import { describe, expect, it } from "vitest";

import { apiVersionsByType, pickApiVersion } from "../../../lib/azure/api-versions.js";

describe("pickApiVersion", () => {
  it("takes the newest stable version whatever the order", () => {
    expect(pickApiVersion(["2021-01-01", "2024-04-01", "2025-06-01-preview", "2023-12-01"])).toBe("2024-04-01");
  });

  it("takes the newest preview only when there is no stable version", () => {
    expect(pickApiVersion(["2023-05-01-preview", "2024-02-01-preview", "2024-02-01-alpha"])).toBe("2024-02-01-preview");
    expect(pickApiVersion(["2022-01-01-privatepreview"])).toBe("2022-01-01-privatepreview");
  });

  it("ignores what is not a dated version and gives undefined for nothing", () => {
    expect(pickApiVersion(["latest", ""])).toBeUndefined();
    expect(pickApiVersion([])).toBeUndefined();
  });

  it("maps full, lower-cased types, child types included", () => {
    const map = apiVersionsByType([
      {
        namespace: "Microsoft.Sql",
        resourceTypes: [
          { resourceType: "servers", apiVersions: ["2023-08-01"] },
          { resourceType: "servers/databases", apiVersions: ["2021-11-01", "2023-08-01"] },
          { resourceType: "locations", apiVersions: [] },
        ],
      },
    ]);
    expect([...map]).toEqual([
      ["microsoft.sql/servers", "2023-08-01"],
      ["microsoft.sql/servers/databases", "2023-08-01"],
    ]);
  });
});
