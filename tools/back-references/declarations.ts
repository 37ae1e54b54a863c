/**
 * Reading an `@azure/arm-*` package's model declarations (`models/index.d.ts`): which members each
 * interface declares `readonly`. AutoRest writes `readonly` for every property the REST definition
 * marks read-only, while its mappers drop `readOnly` on properties that are references to other
 * models (a public IP's `ipConfiguration`, a NIC's `virtualMachine`), so both are read.
 */

/** The members of one interface: which it declares, which of them `readonly`, and what it extends. */
interface Declared {
  extendsNames: string[];
  members: Map<string, boolean>;
}

/** Read-only-ness of model members, looked up through each interface's `extends` chain. */
export interface Declarations {
  /** True or false when the interface (or an ancestor) declares the member; undefined when none does. */
  isReadOnly(model: string, member: string): boolean | undefined;
}

const interfaceStart = /^export interface ([A-Za-z_$][\w$]*)(?:<[^>]*>)?(?:\s+extends\s+([^{]+))?\s*\{\s*$/gm;
const member = /^ {4}(readonly\s+)?("[^"]+"|[A-Za-z_$][\w$]*)\??\s*:/gm;

/** Parses a models/index.d.ts text. */
export function parseDeclarations(source: string): Declarations {
  const byName = new Map<string, Declared>();
  for (const m of source.matchAll(interfaceStart)) {
    const start = m.index + m[0].length;
    const end = source.indexOf("\n}", start);
    const body = source.slice(start, end < 0 ? source.length : end);
    const members = new Map<string, boolean>();
    for (const d of body.matchAll(member)) members.set(d[2]!.replace(/^"|"$/g, ""), d[1] !== undefined);
    const extendsNames = (m[2] ?? "")
      .split(",")
      .map((s) => s.trim().replace(/<.*$/, ""))
      .filter((s) => s !== "");
    byName.set(m[1]!, { extendsNames, members });
  }
  return {
    isReadOnly(model, name) {
      const queue = [model];
      const seen = new Set<string>();
      while (queue.length > 0) {
        const next = queue.shift()!;
        if (seen.has(next)) continue;
        seen.add(next);
        const d = byName.get(next);
        if (d === undefined) continue;
        const flag = d.members.get(name);
        if (flag !== undefined) return flag;
        queue.push(...d.extendsNames);
      }
      return undefined;
    },
  };
}
