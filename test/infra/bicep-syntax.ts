import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

import { Language, type Node, Parser } from "web-tree-sitter";

const require = createRequire(import.meta.url);

/** The Bicep grammar's WASM build, shipped inside the npm package: parsing needs no network. */
const grammarPath = require.resolve("tree-sitter-bicep/tree-sitter-bicep.wasm");

/** One parsed .bicep file. */
export interface BicepFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the infra folder, for messages. */
  name: string;
  root: Node;
}

/** A `param` declaration with what the tests ask about it. */
export interface BicepParam {
  name: string;
  /** Decorator names, without `@`: `secure`, `description`, ... */
  decorators: string[];
  /** The default value expression, if any. */
  defaultValue: Node | undefined;
}

/** Every .bicep file under `dir`, sorted, as absolute paths. */
export function bicepPaths(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, encoding: "utf8" });
  return entries
    .filter((entry) => entry.endsWith(".bicep"))
    .map((entry) => join(dir, entry))
    .sort();
}

/** A parser loaded with the Bicep grammar. */
export async function bicepParser(): Promise<Parser> {
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammarPath));
  return parser;
}

/** Parses one file; `infraDir` only shortens the name used in messages. */
export function parseBicep(parser: Parser, path: string, infraDir: string): BicepFile {
  const tree = parser.parse(readFileSync(path, "utf8"));
  if (tree === null) throw new Error(`tree-sitter returned no tree for ${path}`);
  return { path, name: relative(infraDir, path), root: tree.rootNode };
}

/** `file:line:column` of a node, for failure messages. */
export function where(file: BicepFile, node: Node): string {
  return `${file.name}:${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
}

/** Every ERROR node and every node the parser had to invent (MISSING), with its position. */
export function syntaxProblems(file: BicepFile): string[] {
  const problems: string[] = [];
  const visit = (node: Node): void => {
    if (node.type === "ERROR") problems.push(`ERROR at ${where(file, node)}: ${node.text.slice(0, 60)}`);
    if (node.isMissing) problems.push(`MISSING ${node.type} at ${where(file, node)}`);
    node.children.forEach(visit);
  };
  visit(file.root);
  return problems;
}

/** The value of a plain string literal; undefined for anything else, interpolated strings included. */
export function stringLiteral(node: Node): string | undefined {
  if (node.type !== "string") return undefined;
  if (node.namedChildren.some((child) => child.type !== "string_content" && child.type !== "escape_sequence")) {
    return undefined;
  }
  return node.namedChildren.map((child) => child.text).join("");
}

/** The value of a literal (string, number, boolean, or array of those); undefined for expressions. */
export function literalValue(node: Node): unknown {
  switch (node.type) {
    case "string":
      return stringLiteral(node);
    case "number":
      return Number(node.text);
    case "boolean":
      return node.text === "true";
    case "array": {
      const items = node.namedChildren.filter((child) => child.type !== "comment").map(literalValue);
      return items.includes(undefined) ? undefined : items;
    }
    default:
      return undefined;
  }
}

/** An object literal's properties, key to value expression, in source order. */
export function objectProperties(object: Node): Map<string, Node> {
  const properties = new Map<string, Node>();
  for (const property of object.namedChildren) {
    if (property.type !== "object_property") continue;
    const [key, value] = property.namedChildren.filter((child) => child.type !== "comment");
    if (key === undefined || value === undefined) continue;
    properties.set(key.type === "string" ? (stringLiteral(key) ?? key.text) : key.text, value);
  }
  return properties;
}

/** The body object of a resource or module declaration, also under `[for ...]` and `if (...)`. */
export function declarationBody(declaration: Node): Node | undefined {
  for (const child of declaration.namedChildren) {
    if (child.type === "object") return child;
    if (child.type === "for_statement" || child.type === "if_statement") {
      return child.namedChildren.find((grandchild) => grandchild.type === "object");
    }
  }
  return undefined;
}

/** The quoted string after the symbol of a resource or module: its type or its path. */
export function declarationString(declaration: Node): string {
  const literal = declaration.namedChildren.find((child) => child.type === "string");
  return literal === undefined ? "" : (stringLiteral(literal) ?? "");
}

/** Top-level declarations of one kind (`parameter_declaration`, `resource_declaration`, ...). */
export function declarations(file: BicepFile, type: string): Node[] {
  return file.root.namedChildren.filter((child) => child.type === type);
}

/** The symbol a declaration introduces. */
export function declarationName(declaration: Node): string {
  return declaration.namedChildren.find((child) => child.type === "identifier")?.text ?? "";
}

/** The `param` declarations of a file, with their decorators and defaults. */
export function parameters(file: BicepFile): BicepParam[] {
  return declarations(file, "parameter_declaration").map((declaration) => {
    const previous = declaration.previousNamedSibling;
    const decorators =
      previous?.type === "decorators"
        ? previous.namedChildren.map(
            (decorator) => decorator.namedChildren[0]?.namedChildren.find((n) => n.type === "identifier")?.text ?? "",
          )
        : [];
    const type = declaration.namedChildren.findIndex((child) => child.type === "type");
    return {
      name: declarationName(declaration),
      decorators,
      defaultValue: type === -1 ? undefined : declaration.namedChildren[type + 1],
    };
  });
}

/** The value expression of a top-level `var`. */
export function variable(file: BicepFile, name: string): Node | undefined {
  const declaration = declarations(file, "variable_declaration").find((d) => declarationName(d) === name);
  return declaration?.namedChildren.at(-1);
}

/** Every node of the given types in the file. */
export function nodesOfType(file: BicepFile, ...types: string[]): Node[] {
  return file.root.descendantsOfType(types);
}

/** The file a module declaration points at, as an absolute path. */
export function modulePath(file: BicepFile, declaration: Node): string {
  return resolve(dirname(file.path), declarationString(declaration));
}
