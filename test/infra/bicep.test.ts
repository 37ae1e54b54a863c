import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { beforeAll, describe, expect, it } from "vitest";
import type { Node } from "web-tree-sitter";

import { APP_ROLES } from "../../lib/api/auth.js";
import { configSchema } from "../../lib/config/schema.js";
import { appSettingsOf } from "./app-settings.js";
import {
  type BicepFile,
  bicepParser,
  bicepPaths,
  declarationBody,
  declarationName,
  declarations,
  declarationString,
  literalValue,
  modulePath,
  nodesOfType,
  objectProperties,
  parameters,
  parseBicep,
  stringLiteral,
  syntaxProblems,
  variable,
  where,
} from "./bicep-syntax.js";

const infraDir = fileURLToPath(new URL("../../infra/", import.meta.url));
const deployDoc = fileURLToPath(new URL("../../docs/deploy.md", import.meta.url));
const paths = bicepPaths(infraDir);

/** Built-in role definition ids (design facts, "Flex Consumption and Bicep"). */
const BUILT_IN_ROLE_IDS: Record<string, string> = {
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  StorageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  StorageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  StorageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  MonitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  KeyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
};

/** App settings that are not TopDeck config but are read by the Functions host or the Azure SDK. */
const HOST_SETTINGS: Record<string, string> = {
  AzureWebJobsStorage__blobServiceUri: "Functions host: identity-based host storage",
  AzureWebJobsStorage__queueServiceUri: "Functions host: identity-based host storage",
  AzureWebJobsStorage__tableServiceUri: "Functions host: identity-based host storage",
  AzureWebJobsStorage__credential: "Functions host: managedidentity",
  AzureWebJobsStorage__clientId: "Functions host: which user-assigned identity",
  APPLICATIONINSIGHTS_CONNECTION_STRING: "Functions host: where telemetry goes",
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Functions host: Entra auth, local auth is off",
  AZURE_CLIENT_ID: "@azure/identity DefaultAzureCredential: which user-assigned identity",
};

/**
 * Schema settings set in Azure in another form: the host reads `AzureWebJobsStorage` as a
 * connection string locally, and as `AzureWebJobsStorage__*` with an identity in Azure, where
 * shared keys are off. The value is the setting that shows the identity form is used.
 */
const IDENTITY_FORM: Record<string, string> = {
  AzureWebJobsStorage: "AzureWebJobsStorage__credential",
};

/** App settings Flex Consumption rejects or ignores (design facts). */
const FORBIDDEN_SETTINGS = [
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_EXTENSION_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_CONTENTSHARE",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
  "WEBSITE_TIME_ZONE",
  "WEBSITE_NODE_DEFAULT_VERSION",
];

/** The last camelCase word of a parameter name that makes it a secret. */
const SECRET_WORDS = new Set(["token", "key", "password", "secret"]);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let files: BicepFile[];
let main: BicepFile;

beforeAll(async () => {
  const parser = await bicepParser();
  files = paths.map((path) => parseBicep(parser, path, infraDir));
  main = files.find((file) => file.name === "main.bicep")!;
});

function fileNamed(name: string): BicepFile {
  const file = files.find((candidate) => candidate.name === name);
  if (file === undefined) throw new Error(`infra/${name} is missing`);
  return file;
}

function lastWord(name: string): string {
  return (name.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? [name]).at(-1)!.toLowerCase();
}

describe("Bicep syntax", () => {
  it("has main.bicep and the modules the deployment is made of", () => {
    expect(paths.map((path) => relative(infraDir, path))).toEqual(
      expect.arrayContaining([
        "main.bicep",
        join("modules", "resource-group.bicep"),
        join("modules", "storage.bicep"),
        join("modules", "monitoring.bicep"),
        join("modules", "identity.bicep"),
        join("modules", "function-app.bicep"),
        join("modules", "key-vault.bicep"),
        join("modules", "role-assignments.bicep"),
        join("modules", "subscription-reader.bicep"),
      ]),
    );
  });

  it.each(paths.map((path) => [relative(infraDir, path)]))("%s parses with no ERROR or MISSING node", (name) => {
    expect(syntaxProblems(fileNamed(name))).toEqual([]);
  });

  it("deploys main.bicep at subscription scope and every module it names exists", () => {
    const scope = nodesOfType(main, "target_scope_assignment")[0];
    expect(scope && stringLiteral(scope.namedChildren[0]!)).toBe("subscription");
    for (const file of files) {
      for (const module of declarations(file, "module_declaration")) {
        expect(paths, `module at ${where(file, module)}`).toContain(modulePath(file, module));
      }
    }
  });
});

describe("app settings", () => {
  const schemaKeys = Object.keys(configSchema.shape);

  it("sets every setting of the config schema", () => {
    const settings = appSettingsOf(files);
    const missing = schemaKeys.filter((key) => {
      const identityForm = IDENTITY_FORM[key];
      return identityForm === undefined ? !settings.has(key) : !settings.has(identityForm);
    });
    expect(missing, "add these to var appSettings in infra/main.bicep").toEqual([]);
  });

  it("sets nothing but schema settings and the listed host settings", () => {
    const settings = appSettingsOf(files);
    const unknown = [...settings.keys()].filter((name) => !schemaKeys.includes(name) && HOST_SETTINGS[name] === undefined);
    expect(unknown, "add these to lib/config/schema.ts or remove them from the Bicep").toEqual([]);
  });

  it("gives schema settings literal values the schema accepts", () => {
    const shape: Record<string, { safeParse(value: unknown): { success: boolean } }> = configSchema.shape;
    const rejected: string[] = [];
    for (const [name, { value, file }] of appSettingsOf(files)) {
      const field = shape[name];
      if (field === undefined) continue;
      const candidates = value.type === "ternary_expression" ? value.namedChildren.slice(1) : [value];
      for (const candidate of candidates) {
        const literal = stringLiteral(candidate);
        if (literal === undefined) continue;
        // The app reads an empty setting as unset (lib/config).
        if (!field.safeParse(literal === "" ? undefined : literal).success) {
          rejected.push(`${name}='${literal}' at ${where(file, candidate)}`);
        }
      }
    }
    expect(rejected).toEqual([]);
  });

  it("gives host storage an identity, not a connection string, on an account without shared keys", () => {
    const settings = appSettingsOf(files);
    expect(settings.has("AzureWebJobsStorage")).toBe(false);
    expect(stringLiteral(settings.get("AzureWebJobsStorage__credential")!.value)).toBe("managedidentity");
    const storage = declarations(fileNamed(join("modules", "storage.bicep")), "resource_declaration").find((d) =>
      declarationString(d).startsWith("Microsoft.Storage/storageAccounts@"),
    );
    const properties = objectProperties(objectProperties(declarationBody(storage!)!).get("properties")!);
    expect(properties.get("allowSharedKeyAccess")?.text).toBe("false");
  });

  it("runs the app in entra auth mode exactly when App Service Authentication requires sign-in", () => {
    expect(appSettingsOf(files).get("TOPDECK_AUTH_MODE")!.value.text).toBe("requireSignIn ? 'entra' : 'keys'");
  });

  it("references the Upstash token from Key Vault", () => {
    const token = appSettingsOf(files).get("UPSTASH_REDIS_REST_TOKEN")!.value;
    expect(token.text).toMatch(/'@Microsoft\.KeyVault\(SecretUri=\$\{[^}]+\}\)'/);
  });

  it("sets none of the settings Flex Consumption forbids, anywhere", () => {
    const found = files.flatMap((file) =>
      nodesOfType(file, "object_property", "string").flatMap((node) => {
        const key = node.namedChildren[0];
        const text = node.type === "string" ? stringLiteral(node) : key?.type === "identifier" ? key.text : undefined;
        return text !== undefined && FORBIDDEN_SETTINGS.includes(text) ? [`${text} at ${where(file, node)}`] : [];
      }),
    );
    expect(found).toEqual([]);
    expect([...appSettingsOf(files).keys()].filter((name) => FORBIDDEN_SETTINGS.includes(name))).toEqual([]);
  });
});

/** The body of the one resource of `type` (`Microsoft.Web/sites/config@...`) in `file`. */
function resourceBody(file: BicepFile, typePrefix: string): Map<string, Node> {
  const found = declarations(file, "resource_declaration").filter((d) => declarationString(d).startsWith(typePrefix));
  expect(found, `${typePrefix} in ${file.name}`).toHaveLength(1);
  return objectProperties(declarationBody(found[0]!)!);
}

const props = (node: Node | undefined): Map<string, Node> => {
  expect(node?.type).toBe("object");
  return objectProperties(node!);
};

describe("sign-in and roles", () => {
  it("enables App Service Authentication with Entra ID on the function app, 401 without a token, health excluded", () => {
    const file = fileNamed(join("modules", "function-app-auth.bicep"));
    const body = resourceBody(file, "Microsoft.Web/sites/config@");
    expect(stringLiteral(body.get("name")!)).toBe("authsettingsV2");
    const p = props(body.get("properties"));
    expect(props(p.get("platform")).get("enabled")?.text).toBe("true");
    const validation = props(p.get("globalValidation"));
    expect(validation.get("requireAuthentication")?.text).toBe("requireSignIn");
    expect(validation.get("unauthenticatedClientAction")?.text).toBe("requireSignIn ? 'Return401' : 'AllowAnonymous'");
    const aad = props(props(p.get("identityProviders")).get("azureActiveDirectory"));
    expect(aad.get("enabled")?.text).toBe("true");
    expect(props(aad.get("registration")).get("clientId")?.text).toBe("clientId");
    expect(props(aad.get("registration")).get("openIdIssuer")?.text).toContain("tenant().tenantId");
    expect(props(p.get("httpSettings")).get("requireHttps")?.text).toBe("true");
    const module = declarations(main, "module_declaration").find((d) => declarationString(d) === "modules/function-app-auth.bicep");
    const params = props(objectProperties(declarationBody(module!)!).get("params"));
    expect(params.get("clientId")?.text).toBe("entraClientId");
    expect(params.get("excludedPaths")?.namedChildren.map((n) => stringLiteral(n))).toEqual(["/api/health"]);
    const requireSignIn = parameters(main).find((param) => param.name === "requireSignIn");
    expect(requireSignIn?.defaultValue?.text).toBe("true");
  });

  it("defines the two app roles the app checks, with derived ids, and outputs them for the app registration", () => {
    const roles = variable(main, "appRoles");
    expect(roles?.type).toBe("array");
    const entries = roles!.namedChildren.filter((n) => n.type === "object").map((n) => objectProperties(n));
    expect(entries.map((e) => stringLiteral(e.get("value")!))).toEqual([APP_ROLES.reader, APP_ROLES.operator]);
    for (const e of entries) {
      expect(e.get("id")?.childForFieldName("function")?.text).toBe("guid");
      expect(e.get("isEnabled")?.text).toBe("true");
      expect(e.get("allowedMemberTypes")?.namedChildren.map((n) => stringLiteral(n))).toEqual(["User", "Application"]);
    }
    expect(declarations(main, "output_declaration").map((d) => declarationName(d))).toEqual(
      expect.arrayContaining(["entraAppRoles", "entraRedirectUri"]),
    );
  });
});

describe("Key Vault", () => {
  it("has purge protection, 90 days of soft delete and RBAC authorization", () => {
    const body = resourceBody(fileNamed(join("modules", "key-vault.bicep")), "Microsoft.KeyVault/vaults@");
    const p = props(body.get("properties"));
    expect(p.get("enablePurgeProtection")?.text).toBe("true");
    expect(p.get("enableSoftDelete")?.text).toBe("true");
    expect(p.get("softDeleteRetentionInDays")?.text).toBe("90");
    expect(p.get("enableRbacAuthorization")?.text).toBe("true");
  });

  it("references the Prometheus and Loki credentials from Key Vault when given", () => {
    const settings = appSettingsOf(files);
    for (const name of ["PROMETHEUS_AUTH", "LOKI_AUTH"]) {
      expect(settings.get(name)!.value.text, name).toMatch(/'@Microsoft\.KeyVault\(SecretUri=\$\{[^}]+\}\)'/);
    }
  });
});

describe("role assignments", () => {
  it("names exactly the built-in role ids in var roleIds", () => {
    const roleIds = variable(main, "roleIds");
    expect(roleIds?.type).toBe("object");
    const declared = Object.fromEntries([...objectProperties(roleIds!)].map(([name, value]) => [name, stringLiteral(value)]));
    expect(declared).toEqual(BUILT_IN_ROLE_IDS);
  });

  it("uses no GUID other than the built-in role ids", () => {
    const known = new Set(Object.values(BUILT_IN_ROLE_IDS));
    const unknown = files.flatMap((file) =>
      nodesOfType(file, "string_content")
        .filter((node) => GUID.test(node.text) && !known.has(node.text.toLowerCase()))
        .map((node) => `${node.text} at ${where(file, node)}`),
    );
    expect(unknown).toEqual([]);
  });

  it("assigns every role it names", () => {
    const used = nodesOfType(main, "member_expression")
      .filter((node) => node.namedChildren[0]?.text === "roleIds")
      .map((node) => node.namedChildren[1]?.text);
    expect(new Set(used)).toEqual(new Set(Object.keys(BUILT_IN_ROLE_IDS)));
  });

  it("names every role assignment with guid() and points it at a role definition", () => {
    const assignments = files.flatMap((file) =>
      declarations(file, "resource_declaration")
        .filter((d) => declarationString(d).startsWith("Microsoft.Authorization/roleAssignments@"))
        .map((declaration) => ({ file, declaration })),
    );
    expect(assignments.length).toBeGreaterThanOrEqual(4);
    for (const { file, declaration } of assignments) {
      const body = objectProperties(declarationBody(declaration)!);
      const name = body.get("name");
      expect(name?.type, `name of ${where(file, declaration)}`).toBe("call_expression");
      expect(name?.childForFieldName("function")?.text).toBe("guid");
      const roleDefinitionId = objectProperties(body.get("properties")!).get("roleDefinitionId");
      expect(roleDefinitionId?.text, `roleDefinitionId at ${where(file, declaration)}`).toMatch(
        /^subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', /,
      );
    }
  });

  it("grants Reader through a module deployed at each target subscription's scope", () => {
    const readers = declarations(main, "module_declaration").filter(
      (module) => declarationString(module) === "modules/subscription-reader.bicep",
    );
    expect(readers).toHaveLength(1);
    const loop = readers[0]!.namedChildren.find((child) => child.type === "for_statement");
    expect(loop, "the Reader module loops over the subscriptions").toBeDefined();
    const [item, collection] = loop!.namedChildren.filter((child) => child.type === "identifier");
    expect(collection?.text).toBe("targetSubscriptionIds");
    const params = parameters(main).find((param) => param.name === "targetSubscriptionIds");
    expect(params?.defaultValue?.type).toBe("array");
    expect(objectProperties(declarationBody(readers[0]!)!).get("scope")?.text).toBe(`subscription(${item?.text})`);
  });
});

describe("parameters", () => {
  it("gives no @secure() parameter a default and makes every secret-looking one @secure()", () => {
    const problems = files.flatMap((file) =>
      parameters(file).flatMap((param) => {
        const secure = param.decorators.includes("secure");
        if (secure && param.defaultValue !== undefined) return [`${file.name}: ${param.name} is @secure() with a default`];
        if (!secure && SECRET_WORDS.has(lastWord(param.name))) return [`${file.name}: ${param.name} is not @secure()`];
        return [];
      }),
    );
    expect(problems).toEqual([]);
    expect(
      parameters(main)
        .filter((param) => param.decorators.includes("secure"))
        .map((p) => p.name),
    ).toEqual(["devopsPat", "upstashRedisRestToken", "prometheusAuth", "lokiAuth"]);
  });

  it("outputs no @secure() parameter", () => {
    const leaks = files.flatMap((file) => {
      const secure = new Set(
        parameters(file)
          .filter((p) => p.decorators.includes("secure"))
          .map((p) => p.name),
      );
      return declarations(file, "output_declaration").flatMap((output) =>
        output
          .descendantsOfType("identifier")
          .filter((identifier) => secure.has(identifier.text))
          .map(() => `${file.name}: output ${declarationName(output)}`),
      );
    });
    expect(leaks).toEqual([]);
  });

  it("lists every literal default in main.parameters.json, with the same value, and no secret", () => {
    const json = JSON.parse(readFileSync(join(infraDir, "main.parameters.json"), "utf8")) as {
      parameters: Record<string, { value: unknown }>;
    };
    const declared = new Map(parameters(main).map((param) => [param.name, param]));
    for (const [name, { value }] of Object.entries(json.parameters)) {
      const param = declared.get(name);
      expect(param, `${name} in main.parameters.json is not a param of main.bicep`).toBeDefined();
      expect(param!.decorators, `${name} is a secret`).not.toContain("secure");
      const literal = param!.defaultValue && literalValue(param!.defaultValue);
      if (literal !== undefined) expect(value, `${name} documents its default`).toEqual(literal);
    }
    const literalDefaults = [...declared.values()].filter(
      (param) => param.defaultValue !== undefined && literalValue(param.defaultValue) !== undefined,
    );
    expect(literalDefaults.map((param) => param.name).filter((name) => json.parameters[name] === undefined)).toEqual([]);
  });

  it("documents every parameter of main.bicep in docs/deploy.md", () => {
    const doc = readFileSync(deployDoc, "utf8");
    expect(
      parameters(main)
        .map((param) => param.name)
        .filter((name) => !doc.includes(`\`${name}\``)),
    ).toEqual([]);
  });
});
