/**
 * Reading an `@azure/arm-*` package's model mappers: the `models/mappers.js` an AutoRest-generated
 * SDK ships, where every property carries its wire name (`serializedName`, dotted when the REST
 * definition nests it under `properties`) and `readOnly: true` when the API definition marks it so.
 */
import { runInNewContext } from "node:vm";

/** The type part of a mapper, as AutoRest writes it. */
export interface MapperType {
  name: string;
  className?: string;
  modelProperties?: Record<string, PropertyMapper>;
  uberParent?: string;
  element?: { type: MapperType };
  value?: { type: MapperType };
}

/** One property of a composite mapper. */
export interface PropertyMapper {
  serializedName?: string;
  readOnly?: boolean;
  type: MapperType;
}

/** The mappers of one package, by class name, and its polymorphic subtypes (`Base.Kind` → mapper). */
export interface Mappers {
  byClass: ReadonlyMap<string, MapperType>;
  discriminators: ReadonlyMap<string, MapperType>;
}

const exported = /^export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm;

/**
 * Evaluates a mappers.js text in an empty context. The file is plain data built with object
 * spreads; the few imports older packages make (tslib's `__assign`, base mappers from
 * `@azure/ms-rest-azure-js`) are replaced by `Object.assign` and empty composites, so nothing
 * is loaded from the package's own dependencies.
 */
export function evaluateMappers(source: string): Mappers {
  const imported: string[] = [];
  const body = source
    .replace(/^import\s*\{([^}]*)\}\s*from\s*["'][^"']+["'];?\s*$/gm, (_, names: string) => {
      for (const n of names.split(",")) {
        const local = n
          .trim()
          .split(/\s+as\s+/)
          .at(-1)!;
        if (local !== "") imported.push(local);
      }
      return "";
    })
    .replace(/^import\s.*$/gm, "")
    .replace(/^\/\/# sourceMappingURL.*$/gm, "");
  const names = [...body.matchAll(exported)].map((m) => m[1]!);
  const stubs = imported
    .map((n) =>
      n === "__assign"
        ? `var __assign = Object.assign;`
        : `var ${n} = { type: { name: "Composite", className: ${JSON.stringify(n)}, modelProperties: {} } };`,
    )
    .join("\n");
  const script = `${stubs}\n${body.replace(exported, (_, name: string) => `var ${name} =`)}\n({ ${names.join(", ")} })`;
  const values = runInNewContext(script, {}, { timeout: 10_000 }) as Record<string, unknown>;
  const byClass = new Map<string, MapperType>();
  for (const [name, v] of Object.entries(values)) {
    const type = (v as { type?: MapperType } | undefined)?.type;
    if (name !== "discriminators" && type?.name === "Composite") byClass.set(type.className ?? name, type);
  }
  const discriminators = new Map<string, MapperType>();
  for (const [key, v] of Object.entries((values.discriminators ?? {}) as Record<string, { type?: MapperType }>)) {
    if (v?.type !== undefined) discriminators.set(key, v.type);
  }
  return { byClass, discriminators };
}
