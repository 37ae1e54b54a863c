import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { configSchema, loadConfig, settingDocs } from "../../lib/config/index.js";

const root = new URL("../../", import.meta.url);
const schemaNames = Object.keys(configSchema.shape).sort();

/** Rows of the README's settings table: `| NAME | shape | default | meaning |`. */
function readmeSettings(): Map<string, string[]> {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const table = /<!-- settings:start -->([\s\S]*?)<!-- settings:end -->/.exec(readme)?.[1];
  if (table === undefined) throw new Error("README.md has no settings table between the markers");
  const rows = new Map<string, string[]>();
  for (const line of table.split("\n")) {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    const name = /^`([A-Za-z_]+)`$/.exec(cells[0] ?? "")?.[1];
    if (name !== undefined) rows.set(name, cells.slice(1));
  }
  return rows;
}

describe("settings documentation", () => {
  it("the README table lists exactly the schema's settings, with their documented shape and default", () => {
    const rows = readmeSettings();
    expect([...rows.keys()].sort()).toEqual(schemaNames);
    for (const [name, [shape, fallback]] of rows) {
      const doc = settingDocs[name as keyof typeof settingDocs];
      expect(shape, name).toBe(doc.shape);
      expect(fallback, name).toBe(doc.default);
    }
  });

  it("settingDocs covers exactly the schema", () => {
    expect(Object.keys(settingDocs).sort()).toEqual(schemaNames);
  });

  it("local.settings.sample.json lists every setting, and its values load", () => {
    const sample = JSON.parse(readFileSync(new URL("local.settings.sample.json", root), "utf8")) as {
      Values: Record<string, string>;
    };
    for (const name of schemaNames) expect(Object.keys(sample.Values), name).toContain(name);
    expect(() => loadConfig(sample.Values)).not.toThrow();
  });
});
