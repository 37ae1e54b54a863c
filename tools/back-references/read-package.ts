/**
 * One `@azure/arm-*` package's contribution to the back-reference table: for each ARM type it can
 * read, the read-only property paths of the response model that can hold resource ids.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { parseDeclarations } from "./declarations.js";
import { evaluateMappers } from "./mappers.js";
import { parameterModels, resourceOperations } from "./operations.js";
import { readOnlyReferencePaths, writableAt } from "./read-only-paths.js";

/** What one package says: its name and version, and read-only reference paths per ARM type. */
export interface PackageTable {
  name: string;
  version: string;
  types: Map<string, Set<string>>;
}

/** Where AutoRest packages keep their ES module build: current, older (`dist-esm/src`), oldest (`esm`). */
const layouts = ["dist/esm", "dist-esm/src", "esm"];

/**
 * Reads one installed package directory.
 * @throws Error naming the package when it has no AutoRest mappers (a TypeSpec-generated
 * "modular" package, whose JavaScript no longer says which properties are read-only).
 */
export function readPackage(dir: string): PackageTable {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string };
  const base = layouts.map((l) => join(dir, l)).find((b) => existsSync(join(b, "models", "mappers.js")));
  if (base === undefined) throw new Error(`${manifest.name}@${manifest.version}: no models/mappers.js (not an AutoRest-generated package)`);
  const mappers = evaluateMappers(readFileSync(join(base, "models", "mappers.js"), "utf8"));
  const types = new Map<string, Set<string>>();
  const operations = join(base, "operations");
  const files = existsSync(operations)
    ? readdirSync(operations)
        .filter((f) => f.endsWith(".js"))
        .sort()
    : [];
  const specs = files.map((file) => resourceOperations(readFileSync(join(operations, file), "utf8")));
  const reads = specs.flatMap((s) => s.reads);
  const parametersFile = join(base, "models", "parameters.js");
  const bodies = parameterModels(existsSync(parametersFile) ? readFileSync(parametersFile, "utf8") : "");
  const writeModels = new Map<string, Set<string>>();
  for (const { armType, parameter } of specs.flatMap((s) => s.writes)) {
    const model = bodies.get(parameter);
    if (model === undefined) continue;
    let set = writeModels.get(armType);
    if (set === undefined) writeModels.set(armType, (set = new Set()));
    set.add(model);
  }
  const resourceModels = new Map<string, Set<string>>();
  for (const { armType, model } of reads) {
    let set = resourceModels.get(model);
    if (set === undefined) resourceModels.set(model, (set = new Set()));
    set.add(armType);
  }
  const declarationsFile = join(base, "models", "index.d.ts");
  const declarations = parseDeclarations(existsSync(declarationsFile) ? readFileSync(declarationsFile, "utf8") : "");
  const ctx = { mappers, declarations, resourceModels };
  for (const { armType, model } of reads) {
    let set = types.get(armType);
    if (set === undefined) types.set(armType, (set = new Set()));
    const written = [...(writeModels.get(armType) ?? [])].filter((m) => m !== model);
    for (const p of readOnlyReferencePaths(model, armType, ctx)) {
      // Read-only in the read's model but writable in the create body (a Batch account's
      // autoStorage, a storage account's networkAcls): the user writes it, so it is no mirror.
      if (!written.some((w) => writableAt(w, p, ctx))) set.add(p);
    }
  }
  return { name: manifest.name, version: manifest.version, types };
}
