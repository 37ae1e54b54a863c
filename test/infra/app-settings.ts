import type { Node } from "web-tree-sitter";

import {
  type BicepFile,
  declarationBody,
  declarationName,
  declarations,
  modulePath,
  objectProperties,
  parameters,
  variable,
  where,
} from "./bicep-syntax.js";

/** One app setting as the Bicep writes it: its value expression and the file it is in. */
export interface AppSetting {
  value: Node;
  file: BicepFile;
}

/**
 * The app settings of the function app, found by walking the syntax trees: start at
 * `siteConfig.appSettings`, and follow variables, `union(...)`, `map(items(...), ...)` and module
 * parameters back to the object literals that name each setting.
 * @throws Error when the settings pass through an expression it cannot follow, so a new shape in
 * the Bicep fails the test loudly instead of hiding settings from it.
 */
export function appSettingsOf(files: BicepFile[]): Map<string, AppSetting> {
  const starts = files.flatMap((file) => siteConfigAppSettings(file).map((node) => ({ node, file })));
  if (starts.length !== 1) {
    throw new Error(`expected one siteConfig.appSettings in the Bicep, found ${starts.length}`);
  }
  const [start] = starts;
  return follow(start!.node, start!.file, files);
}

function siteConfigAppSettings(file: BicepFile): Node[] {
  return file.root.descendantsOfType("object").flatMap((object) => {
    const owner = object.parent;
    if (owner?.type !== "object_property" || owner.namedChildren[0]?.text !== "siteConfig") return [];
    const value = objectProperties(object).get("appSettings");
    return value === undefined ? [] : [value];
  });
}

function follow(node: Node, file: BicepFile, files: BicepFile[]): Map<string, AppSetting> {
  switch (node.type) {
    case "object":
      return new Map([...objectProperties(node)].map(([name, value]) => [name, { value, file }]));
    case "parenthesized_expression":
      return follow(node.namedChildren[0]!, file, files);
    case "identifier":
      return followSymbol(node, file, files);
    case "call_expression":
      return followCall(node, file, files);
    default:
      throw new Error(`cannot follow app settings through ${node.type} at ${where(file, node)}`);
  }
}

function followSymbol(node: Node, file: BicepFile, files: BicepFile[]): Map<string, AppSetting> {
  const name = node.text;
  const value = variable(file, name);
  if (value !== undefined) return follow(value, file, files);
  if (!parameters(file).some((param) => param.name === name)) {
    throw new Error(`${name} at ${where(file, node)} is neither a var nor a param`);
  }
  const passed = callersOf(file, files).flatMap(({ caller, params }) => {
    const argument = params.get(name);
    return argument === undefined ? [] : [follow(argument, caller, files)];
  });
  if (passed.length === 0) throw new Error(`no module passes param ${name} of ${file.name}`);
  return new Map(passed.flatMap((settings) => [...settings]));
}

/** union() merges its arguments; map(items(x), s => { name: s.key, value: s.value }) lists x. */
function followCall(node: Node, file: BicepFile, files: BicepFile[]): Map<string, AppSetting> {
  const name = node.childForFieldName("function")?.text;
  const args = node.namedChildren.find((child) => child.type === "arguments")?.namedChildren ?? [];
  if (name === "union") {
    return new Map(args.flatMap((arg) => [...follow(arg, file, files)]));
  }
  if (name === "items" && args.length === 1) return follow(args[0]!, file, files);
  if (name === "map" && args.length === 2 && mapsKeyValueToNameValue(args[1]!)) {
    return follow(args[0]!, file, files);
  }
  throw new Error(`cannot follow app settings through ${name ?? "a call"}() at ${where(file, node)}`);
}

function mapsKeyValueToNameValue(lambda: Node): boolean {
  if (lambda.type !== "lambda_expression") return false;
  const body = lambda.namedChildren.find((child) => child.type === "object");
  if (body === undefined) return false;
  const properties = objectProperties(body);
  return properties.get("name")?.text.endsWith(".key") === true && properties.get("value")?.text.endsWith(".value") === true;
}

/** Module declarations in other files that point at `file`, with their `params` object. */
function callersOf(file: BicepFile, files: BicepFile[]): { caller: BicepFile; params: Map<string, Node> }[] {
  return files.flatMap((caller) =>
    declarations(caller, "module_declaration")
      .filter((declaration) => modulePath(caller, declaration) === file.path)
      .map((declaration) => {
        const body = declarationBody(declaration);
        const params = body === undefined ? undefined : objectProperties(body).get("params");
        if (params?.type !== "object") {
          throw new Error(`module ${declarationName(declaration)} at ${where(caller, declaration)} has no params object`);
        }
        return { caller, params: objectProperties(params) };
      }),
  );
}
