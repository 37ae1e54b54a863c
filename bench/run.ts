/**
 * `npm run bench -- <name>` runs bench/<name>.ts. Each benchmark prints its figures and ends with
 * one line `RESULT <name> key=value ...`.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
  .map((f) => f.slice(0, -3))
  .sort();

const name = process.argv[2];
if (name === undefined || !names.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name>\nbenchmarks: ${names.join(", ") || "(none)"}\n`);
  process.exit(2);
}
const mod = (await import(join(here, `${name}.ts`))) as { default: (args: string[]) => Promise<void> };
await mod.default(process.argv.slice(3));
