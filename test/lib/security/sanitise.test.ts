import { describe, expect, it } from "vitest";

import { isSecretName, isSecretQueryName, sanitisePayload, sanitiseText } from "../../../lib/security/index.js";
import { hostileEstate, hostileIds } from "../../support/hostile-estate.js";
import { sampleExport } from "../../support/sample-export.js";

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.c2lnbmF0dXJlLXBhcnQ";

describe("sanitiseText, per kind of secret", () => {
  it.each([
    [
      "a function key in a webhook",
      "https://example.azurewebsites.net/api/hook?code=Zm4ta2V5LTEyMw==&clientId=default",
      "https://example.azurewebsites.net/api/hook?code=[redacted:query-secret]&clientId=default",
    ],
    [
      "a SAS signature",
      "https://st1.blob.core.windows.net/scripts/install.sh?sv=2022-11-02&sp=r&sig=AbC%2Bdef%3D&spr=https",
      "https://st1.blob.core.windows.net/scripts/install.sh?sv=2022-11-02&sp=r&sig=[redacted:sas-signature]&spr=https",
    ],
    ["key=", "https://maps.example.com/v1?key=AIzaSyA-1234", "https://maps.example.com/v1?key=[redacted:query-secret]"],
    ["token=", "https://hooks.example.com/in?token=tk-123", "https://hooks.example.com/in?token=[redacted:query-secret]"],
    [
      "access_token=",
      "https://api.example.com/x?a=1&access_token=at-1",
      "https://api.example.com/x?a=1&access_token=[redacted:query-secret]",
    ],
    ["api_key=", "https://api.example.com/x?api_key=ak-1", "https://api.example.com/x?api_key=[redacted:query-secret]"],
    ["apikey=", "https://api.example.com/x?apikey=ak-1", "https://api.example.com/x?apikey=[redacted:query-secret]"],
    [
      "client_secret=",
      "https://login.example.com/t?client_secret=cs-1&grant_type=x",
      "https://login.example.com/t?client_secret=[redacted:query-secret]&grant_type=x",
    ],
    ["a custom *-key parameter", "https://x.example.com/t?x-cloud-key=ck-1", "https://x.example.com/t?x-cloud-key=[redacted:query-secret]"],
    [
      "a storage connection string",
      "DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=Zm9vYmFy+/==;EndpointSuffix=core.windows.net",
      "DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=[redacted:connection-string-secret];EndpointSuffix=core.windows.net",
    ],
    [
      "a Service Bus connection string",
      "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=c2VjcmV0;EntityPath=q",
      "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=[redacted:connection-string-secret];EntityPath=q",
    ],
    [
      "an Application Insights connection string",
      "InstrumentationKey=bc095013-3cf2-45ac-ab47-123456789abc;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
      "InstrumentationKey=[redacted:connection-string-secret];IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
    ],
    [
      "a SQL connection string",
      "Server=tcp:sql1.database.windows.net,1433;Initial Catalog=db;User ID=app;Password=p@ss;Encrypt=True",
      "Server=tcp:sql1.database.windows.net,1433;Initial Catalog=db;User ID=app;Password=[redacted:connection-string-secret];Encrypt=True",
    ],
    [
      "a Redis connection string",
      "r1.redis.cache.windows.net:6380,password=abc,ssl=True,abortConnect=False",
      "r1.redis.cache.windows.net:6380,password=[redacted:connection-string-secret],ssl=True,abortConnect=False",
    ],
    ["a password in a URL", "postgres://app:Pa55w0rd!@db.internal:5432/app", "postgres://app:[redacted:url-password]@db.internal:5432/app"],
    ["a password without a user", "rediss://:pw123@r1.example.com:6380", "rediss://:[redacted:url-password]@r1.example.com:6380"],
    ["a bearer token", "Bearer abc.DEF-123_xyz/+=", "Bearer [redacted:bearer-token]"],
    ["a JWT", `token was ${jwt} ok`, "token was [redacted:jwt] ok"],
    ["an x-api-key header", "x-api-key: xk-001", "x-api-key: [redacted:header-secret]"],
    ["an APIM key header", "Ocp-Apim-Subscription-Key: 0123abcd", "Ocp-Apim-Subscription-Key: [redacted:header-secret]"],
    ["an Authorization header", "Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [redacted:header-secret]"],
    [
      "a JSON setting inside text",
      '[{"name":"DB_PASSWORD","value":"p4ss"},{"name":"MODE","value":"x"}]',
      '[{"name":"DB_PASSWORD","value":"[redacted:secret-setting]"},{"name":"MODE","value":"x"}]',
    ],
    ["a JSON field inside text", '{"user":"svc","password":"hunter2"}', '{"user":"svc","password":"[redacted:secret-field]"}'],
    ["a PEM private key", "k=-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "k=[redacted:private-key]"],
  ])("%s", (_kind, text, expected) => {
    expect(sanitiseText(text)).toBe(expected);
    // Idempotent: a second pass changes nothing.
    expect(sanitiseText(expected)).toBe(expected);
  });

  it.each([
    "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Web/sites/app1",
    "https://sthostile.blob.core.windows.net/",
    "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
    "https://x.example.com/list?api-version=2024-01-01&$skiptoken=&page=2",
    "2024-02-20T11:02:37.9954127Z",
    "Standard_LRS",
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 azureuser",
    "a = b; c = d",
    "cache key=resources:1",
    "SharedAccessKeyName=RootManageSharedAccessKey",
    "mailto:ops@example.com",
  ])("leaves %s alone", (text) => {
    expect(sanitiseText(text)).toBe(text);
  });
});

describe("secret names", () => {
  it.each([
    "primaryKey",
    "secondaryKey",
    "primaryMasterKey",
    "secondaryReadonlyMasterKey",
    "primarySharedKey",
    "sharedKey",
    "accessKey",
    "storageAccountKey",
    "workspaceKey",
    "InstrumentationKey",
    "APPINSIGHTS_INSTRUMENTATIONKEY",
    "x-api-key",
    "Ocp-Apim-Subscription-Key",
    "x-functions-key",
    "apiKey",
    "STRIPE_API_KEY",
    "privateKey",
    "password",
    "adminPassword",
    "administratorLoginPassword",
    "DB_PASSWORD",
    "publishingPassword",
    "pwd",
    "secret",
    "clientSecret",
    "CLIENT_SECRET",
    "secrets",
    "token",
    "accessToken",
    "sasToken",
    "upstashToken",
    "connectionString",
    "APPLICATIONINSIGHTS_CONNECTION_STRING",
    "authorization",
    "credentials",
    "secureValue",
    "sig",
  ])("%s is secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "key",
    "keyVaultId",
    "keyVaultKeyId",
    "keyVaultUri",
    "keySource",
    "keyName",
    "keyType",
    "keyData",
    "keyCreationTime",
    "key1",
    "publicKey",
    "publicKeys",
    "sshPublicKeys",
    "partitionKey",
    "shardKey",
    "diskEncryptionKey",
    "keyEncryptionKey",
    "customerManagedKey",
    "tokenEndpoint",
    "tokenStore",
    "maxTokens",
    "passwordAuth",
    "disablePasswordAuthentication",
    "passwordProfile",
    "secretUrl",
    "keyVaultSecretId",
    "secretRef",
    "passwordSecretRef",
    "enableSecretRotation",
    "azureKeyvaultSecretsProvider",
    "connectionStrings",
    "allowSharedKeyAccess",
    "code",
    "signatureAlgorithm",
    "id",
    "name",
    "value",
  ])("%s is not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it("query parameters add code, sig and key", () => {
    for (const name of ["code", "sig", "key", "subscription-key"]) expect(isSecretQueryName(name)).toBe(true);
    for (const name of ["api-version", "sv", "se", "sp", "spr", "keyName"]) expect(isSecretQueryName(name)).toBe(false);
  });
});

describe("sanitisePayload", () => {
  it("replaces secret-named fields, settings, secure parameters and values under secret names", () => {
    const out = sanitisePayload({
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cache/redis/r1",
      properties: {
        accessKeys: { primaryKey: "pk", secondaryKey: "sk" },
        adminPassword: "hunter2",
        publicKey: "ssh-rsa AAAA",
        connectionString: "Server=x;Database=y",
        storage: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k",
        env: [
          { name: "DB_PASSWORD", value: "p" },
          { name: "MODE", value: "prod" },
          { name: "X", secureValue: "sv" },
        ],
        parameters: {
          apiKey: { type: "SecureString", value: "ak" },
          blob: { type: "secureobject", value: { a: 1 } },
          mode: { type: "String", value: "x" },
        },
        secrets: [
          { name: "registry", value: "rv" },
          { sourceVault: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv" } },
        ],
        flags: { passwordAuth: true, keys: 3 },
      },
      tags: { "deploy-token": "dt", env: "prod" },
    });
    expect(out).toEqual({
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cache/redis/r1",
      properties: {
        accessKeys: { primaryKey: "[redacted:secret-field]", secondaryKey: "[redacted:secret-field]" },
        adminPassword: "[redacted:secret-field]",
        publicKey: "ssh-rsa AAAA",
        connectionString: "[redacted:secret-field]",
        storage: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[redacted:connection-string-secret]",
        env: [
          { name: "DB_PASSWORD", value: "[redacted:secret-setting]" },
          { name: "MODE", value: "prod" },
          { name: "X", secureValue: "[redacted:secret-field]" },
        ],
        parameters: {
          apiKey: { type: "SecureString", value: "[redacted:secure-parameter]" },
          blob: { type: "secureobject", value: "[redacted:secure-parameter]" },
          mode: { type: "String", value: "x" },
        },
        secrets: [
          { name: "registry", value: "[redacted:secret-field]" },
          { sourceVault: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv" } },
        ],
        flags: { passwordAuth: true, keys: 3 },
      },
      tags: { "deploy-token": "[redacted:secret-field]", env: "prod" },
    });
  });

  it("keeps a connection string's host when the secret inside it is found", () => {
    const out = sanitisePayload({ connectionString: "Server=tcp:sql1.database.windows.net;Password=p;Encrypt=True" });
    expect(out).toEqual({
      connectionString: "Server=tcp:sql1.database.windows.net;Password=[redacted:connection-string-secret];Encrypt=True",
    });
  });

  it("returns the very object when nothing is secret, and never alters ids or keys", () => {
    const clean = { id: "/subscriptions/s/x", properties: { a: ["b", { c: "d" }], [`hidden-link:/subscriptions/s/x`]: "Resource" } };
    expect(sanitisePayload(clean)).toBe(clean);
    const ref = { privateKey: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/keys/k" };
    expect(sanitisePayload(ref)).toBe(ref);
  });

  it("finds every secret planted in real payload shapes, and leaves their ids", () => {
    const { estate, secrets } = hostileEstate();
    const resources = estate.subscriptions[0]!.resources;
    const text = JSON.stringify(resources.map((r) => sanitisePayload(r)));
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text.toLowerCase()).not.toContain("planted");
    for (const id of Object.values(hostileIds)) expect(text).toContain(id);
    expect(text).toContain("https://func-hooks.azurewebsites.net/api/alert?code=[redacted:query-secret]");
  });

  it("changes nothing in the sample estate but its Application Insights keys", async () => {
    const exp = await sampleExport();
    const changed = exp.resources.filter((r) => JSON.stringify(r).includes("[redacted:")).map((r) => r.type);
    expect(new Set(changed)).toEqual(new Set(["Microsoft.Insights/components"]));
  });
});
