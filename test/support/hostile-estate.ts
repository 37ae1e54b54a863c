// A hostile estate: real ARM GET payload shapes (azure-rest-api-specs examples, as in
// /work/shared/arm-examples, plus the action group, VM extension, container group, container app
// and Logic App shapes of their GET examples) with a secret planted in each place issue 16 names.
// `hostileEstate({ planted: false })` is the same estate with harmless values in those places, so a
// test can check that sanitising leaves the edges as they were.
import type { Estate } from "../../tools/estates/schema.js";

/** Options of {@link hostileEstate}. */
export interface HostileEstateOptions {
  /** Plant secrets (else harmless values in the same places). @default true */
  planted?: boolean;
  /** Changes every planted value (a rotation), so a second run sees other secrets. @default "a" */
  round?: string;
  /** A tag added to every resource, for a run whose payloads differ from the last one. */
  tag?: string;
}

/** The estate and every secret planted in it, each as the exact string that must never come back. */
export interface HostileEstate {
  estate: Estate;
  secrets: string[];
}

export const HOSTILE_SUBSCRIPTION = "5ec7e7a1-0000-4000-8000-00000000a11e";
const RG = `/subscriptions/${HOSTILE_SUBSCRIPTION}/resourceGroups/rg-hostile`;
const id = (provider: string, type: string, name: string): string => `${RG}/providers/${provider}/${type}/${name}`;

/** Resource ids of the estate, for tests that look a resource up. */
export const hostileIds = {
  plan: id("Microsoft.Web", "serverfarms", "plan-hooks"),
  site: id("Microsoft.Web", "sites", "func-hooks"),
  storage: id("Microsoft.Storage", "storageAccounts", "sthostile"),
  workspace: id("Microsoft.OperationalInsights", "workspaces", "log-hostile"),
  insights: id("Microsoft.Insights", "components", "appi-hostile"),
  actionGroup: id("Microsoft.Insights", "actionGroups", "ag-oncall"),
  workflow: id("Microsoft.Logic", "workflows", "logic-notify"),
  vnet: id("Microsoft.Network", "virtualNetworks", "vnet-hostile"),
  subnet: `${id("Microsoft.Network", "virtualNetworks", "vnet-hostile")}/subnets/snet-aci`,
  vm: id("Microsoft.Compute", "virtualMachines", "vm-build"),
  extension: `${id("Microsoft.Compute", "virtualMachines", "vm-build")}/extensions/CustomScriptExtension`,
  containerGroup: id("Microsoft.ContainerInstance", "containerGroups", "aci-worker"),
  environment: id("Microsoft.App", "managedEnvironments", "cae-hostile"),
  containerApp: id("Microsoft.App", "containerApps", "ca-api"),
  identity: id("Microsoft.ManagedIdentity", "userAssignedIdentities", "id-api"),
  redis: id("Microsoft.Cache", "redis", "redis-hostile"),
  cosmos: id("Microsoft.DocumentDB", "databaseAccounts", "cosmos-hostile"),
};

/**
 * The hostile estate. Every planted secret contains `PLANTED`, so a search for that word (any
 * case) catches a secret even when only part of it leaked.
 */
export function hostileEstate(options: HostileEstateOptions = {}): HostileEstate {
  const planted = options.planted ?? true;
  const round = options.round ?? "a";
  const secrets: string[] = [];
  // A planted secret, or the harmless value that stands in the same place in the clean twin.
  const s = (name: string, harmless = "none"): string => {
    if (!planted) return harmless;
    const value = `PLANTED${round}${name}`;
    secrets.push(value);
    return value;
  };
  const b64 = (name: string): string => (planted ? `${s(name)}Zm9vYmFyYmF6+/q==` : "none");
  const accountKey = b64("accountkey");
  const storageConn = `DefaultEndpointsProtocol=https;AccountName=sthostile;AccountKey=${accountKey};EndpointSuffix=core.windows.net`;
  const ikey = planted ? s("ikey0000-1111-2222-3333") : "00000000-0000-0000-0000-000000000000";
  const aiConn = `InstrumentationKey=${ikey};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/`;
  const jwt = `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2hvb2tzLmV4YW1wbGUuY29tIn0.${s("jwtsignature")}`;
  if (planted) secrets.push(jwt);
  const tags = (extra: Record<string, string> = {}): Record<string, string> => ({
    env: "prod",
    ...(options.tag === undefined ? {} : { round: options.tag }),
    ...extra,
  });
  const query = (pairs: Record<string, string>): string => (planted ? `?${new URLSearchParams(pairs).toString()}` : "");

  const resources: Record<string, unknown>[] = [
    {
      id: hostileIds.plan,
      name: "plan-hooks",
      type: "Microsoft.Web/serverfarms",
      location: "West Europe",
      kind: "functionapp",
      tags: tags(),
      sku: { name: "EP1", tier: "ElasticPremium", size: "EP1", family: "EP", capacity: 1 },
      properties: { status: "Ready", maximumNumberOfWorkers: 20, numberOfSites: 1, reserved: true, provisioningState: "Succeeded" },
    },
    {
      id: hostileIds.site,
      name: "func-hooks",
      type: "Microsoft.Web/sites",
      kind: "functionapp,linux",
      location: "West Europe",
      tags: tags({ "deploy-token": s("tagdeploytoken") }),
      properties: {
        state: "Running",
        hostNames: ["func-hooks.azurewebsites.net"],
        enabledHostNames: ["func-hooks.azurewebsites.net", "func-hooks.scm.azurewebsites.net"],
        defaultHostName: "func-hooks.azurewebsites.net",
        serverFarmId: hostileIds.plan,
        httpsOnly: true,
        siteConfig: {
          numberOfWorkers: 1,
          linuxFxVersion: "Node|20",
          appSettings: [
            { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
            { name: "AzureWebJobsStorage", value: storageConn },
            { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: aiConn },
            { name: "DB_PASSWORD", value: s("dbpassword") },
            { name: "STRIPE_API_KEY", value: s("stripeapikey") },
          ],
          connectionStrings: [
            {
              name: "Orders",
              type: "SQLAzure",
              connectionString: `Server=tcp:sql-hostile.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=${s("sqlpassword")};Encrypt=True`,
            },
          ],
          azureStorageAccounts: {
            share: { type: "AzureFiles", accountName: "sthostile", shareName: "data", accessKey: s("shareaccesskey") },
          },
        },
        publishingPassword: s("publishingpassword"),
        outboundIpAddresses: "20.1.2.3,20.1.2.4",
      },
    },
    {
      id: hostileIds.storage,
      name: "sthostile",
      type: "Microsoft.Storage/storageAccounts",
      location: "westeurope",
      kind: "StorageV2",
      tags: tags(),
      sku: { name: "Standard_LRS", tier: "Standard" },
      properties: {
        keyCreationTime: { key1: "2024-02-20T11:02:37.9954127Z", key2: "2024-02-20T11:02:37.9954127Z" },
        allowSharedKeyAccess: true,
        primaryEndpoints: { blob: "https://sthostile.blob.core.windows.net/", file: "https://sthostile.file.core.windows.net/" },
        encryption: { keySource: "Microsoft.Storage", services: { blob: { keyType: "Account", enabled: true } } },
        provisioningState: "Succeeded",
      },
    },
    {
      id: hostileIds.workspace,
      name: "log-hostile",
      type: "Microsoft.OperationalInsights/workspaces",
      location: "westeurope",
      tags: tags(),
      properties: {
        customerId: "a7f0b1c2-0000-4000-8000-00000000beef",
        sku: { name: "PerGB2018" },
        retentionInDays: 30,
        provisioningState: "Succeeded",
      },
    },
    {
      id: hostileIds.insights,
      name: "appi-hostile",
      type: "Microsoft.Insights/components",
      location: "westeurope",
      kind: "web",
      tags: tags({ [`hidden-link:${hostileIds.site}`]: "Resource" }),
      properties: {
        ApplicationId: "appi-hostile",
        AppId: "887f4bfd-b5fd-40d7-9fc3-123456789abc",
        Application_Type: "web",
        InstrumentationKey: ikey,
        ConnectionString: aiConn,
        WorkspaceResourceId: hostileIds.workspace,
        HockeyAppToken: "",
        provisioningState: "Succeeded",
      },
    },
    {
      id: hostileIds.actionGroup,
      name: "ag-oncall",
      type: "Microsoft.Insights/actionGroups",
      location: "Global",
      tags: tags(),
      properties: {
        groupShortName: "oncall",
        enabled: true,
        emailReceivers: [{ name: "ops", emailAddress: "ops@example.com", useCommonAlertSchema: true, status: "Enabled" }],
        webhookReceivers: [
          {
            name: "pager",
            serviceUri: `https://events.pagerduty.example.com/integration/abc/enqueue${query({ code: s("webhookcode"), "x-cloud-key": s("xcloudkey") })}`,
            useCommonAlertSchema: true,
            useAadAuth: false,
          },
          {
            name: "chat",
            serviceUri: `https://hooks.example.com/services/T000/B000${query({ token: s("chattoken"), sig: s("chatsig") })}`,
            useCommonAlertSchema: false,
          },
        ],
        azureFunctionReceivers: [
          {
            name: "fn",
            functionAppResourceId: hostileIds.site,
            functionName: "alert",
            httpTriggerUrl: `https://func-hooks.azurewebsites.net/api/alert${query({ code: s("functioncode") })}`,
            useCommonAlertSchema: true,
          },
        ],
        logicAppReceivers: [
          {
            name: "logic",
            resourceId: hostileIds.workflow,
            callbackUrl: `https://prod-27.westeurope.logic.azure.com:443/workflows/4a1b/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${s("logicsig")}`,
            useCommonAlertSchema: true,
          },
        ],
        automationRunbookReceivers: [
          {
            name: "runbook",
            automationAccountId: id("Microsoft.Automation", "automationAccounts", "aa-hostile"),
            runbookName: "restart",
            webhookResourceId: `${id("Microsoft.Automation", "automationAccounts", "aa-hostile")}/webhooks/restart`,
            isGlobalRunbook: false,
            serviceUri: `https://s2events.azure-automation.net/webhooks${query({ token: s("runbooktoken") })}`,
          },
        ],
      },
    },
    {
      id: hostileIds.workflow,
      name: "logic-notify",
      type: "Microsoft.Logic/workflows",
      location: "westeurope",
      tags: tags(),
      properties: {
        provisioningState: "Succeeded",
        state: "Enabled",
        version: "08585000000000000000",
        accessEndpoint: "https://prod-27.westeurope.logic.azure.com:443/workflows/4a1b",
        definition: {
          $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
          contentVersion: "1.0.0.0",
          parameters: {
            $connections: { defaultValue: {}, type: "Object" },
            apiKey: { defaultValue: s("defaultapikey"), type: "SecureString" },
          },
          triggers: { manual: { type: "Request", kind: "Http", inputs: { schema: {} } } },
          actions: {
            Notify: {
              type: "Http",
              runAfter: {},
              inputs: {
                method: "POST",
                uri: `https://api.example.com/v1/notify${query({ api_key: s("httpapikey"), access_token: s("httpaccesstoken") })}`,
                headers: {
                  "x-api-key": s("headerxapikey"),
                  "Ocp-Apim-Subscription-Key": s("apimsubscriptionkey"),
                  Authorization: planted ? `Bearer ${jwt}` : "none",
                },
                body: planted ? `{"user":"svc","password":"${s("bodypassword")}"}` : "{}",
              },
            },
            Archive: {
              type: "Http",
              runAfter: { Notify: ["Succeeded"] },
              inputs: { method: "PUT", uri: `https://archiver:${planted ? s("urlpassword") : "none"}@archive.example.com/put` },
            },
          },
          outputs: {},
        },
        parameters: {
          $connections: {
            value: {
              office365: {
                connectionId: id("Microsoft.Web", "connections", "office365"),
                connectionName: "office365",
                id: `/subscriptions/${HOSTILE_SUBSCRIPTION}/providers/Microsoft.Web/locations/westeurope/managedApis/office365`,
              },
            },
          },
          apiKey: { type: "SecureString", value: s("parameterapikey") },
          storageConnection: { type: "String", value: storageConn },
        },
      },
    },
    {
      id: hostileIds.vnet,
      name: "vnet-hostile",
      type: "Microsoft.Network/virtualNetworks",
      location: "westeurope",
      tags: tags(),
      properties: {
        addressSpace: { addressPrefixes: ["10.40.0.0/16"] },
        subnets: [
          {
            id: hostileIds.subnet,
            name: "snet-aci",
            type: "Microsoft.Network/virtualNetworks/subnets",
            properties: {
              addressPrefix: "10.40.1.0/24",
              delegations: [{ name: "aci", properties: { serviceName: "Microsoft.ContainerInstance/containerGroups" } }],
              provisioningState: "Succeeded",
            },
          },
        ],
        provisioningState: "Succeeded",
      },
    },
    {
      id: hostileIds.vm,
      name: "vm-build",
      type: "Microsoft.Compute/virtualMachines",
      location: "westeurope",
      tags: tags(),
      properties: {
        vmId: "0f47b100-583c-48e3-a4c0-aefc2c9bbcc1",
        hardwareProfile: { vmSize: "Standard_D2s_v5" },
        storageProfile: { osDisk: { osType: "Linux", name: "vm-build-os", createOption: "FromImage", diskSizeGB: 30 } },
        osProfile: {
          computerName: "vm-build",
          adminUsername: "azureuser",
          adminPassword: s("vmadminpassword"),
          linuxConfiguration: {
            disablePasswordAuthentication: false,
            ssh: {
              publicKeys: [
                { path: "/home/azureuser/.ssh/authorized_keys", keyData: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0hostile azureuser" },
              ],
            },
          },
          secrets: [],
        },
        provisioningState: "Succeeded",
      },
    },
    {
      id: hostileIds.extension,
      name: "CustomScriptExtension",
      type: "Microsoft.Compute/virtualMachines/extensions",
      location: "westeurope",
      tags: tags(),
      properties: {
        autoUpgradeMinorVersion: true,
        provisioningState: "Succeeded",
        publisher: "Microsoft.Azure.Extensions",
        type: "CustomScript",
        typeHandlerVersion: "2.1",
        settings: {
          fileUris: [
            `https://sthostile.blob.core.windows.net/scripts/install.sh?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T00:00:00Z&spr=https&sig=${planted ? s("extensionsig") : "none"}`,
          ],
          commandToExecute: `bash install.sh --url https://deploy:${planted ? s("extensionurlpassword") : "none"}@registry.example.com/v2`,
        },
      },
    },
    {
      id: hostileIds.containerGroup,
      name: "aci-worker",
      type: "Microsoft.ContainerInstance/containerGroups",
      location: "westeurope",
      tags: tags(),
      properties: {
        provisioningState: "Succeeded",
        containers: [
          {
            name: "worker",
            properties: {
              image: "contoso.azurecr.io/worker:1.4",
              command: [],
              ports: [{ port: 8080 }],
              environmentVariables: [
                { name: "MODE", value: "batch" },
                { name: "API_TOKEN", value: s("acitoken") },
                {
                  name: "QUEUE",
                  value: `Endpoint=sb://sb-hostile.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${b64("sbkey")};EntityPath=jobs`,
                },
                {
                  name: "REDIS",
                  value: `redis-hostile.redis.cache.windows.net:6380,password=${s("redispassword")},ssl=True,abortConnect=False`,
                },
                { name: "SECRET_X", secureValue: s("acisecurevalue") },
              ],
              resources: { requests: { cpu: 1, memoryInGB: 1.5 } },
            },
          },
        ],
        imageRegistryCredentials: [{ server: "contoso.azurecr.io", username: "contoso", password: s("acrpassword") }],
        subnetIds: [{ id: hostileIds.subnet, name: "snet-aci" }],
        volumes: [{ name: "data", azureFile: { shareName: "data", storageAccountName: "sthostile", storageAccountKey: b64("volumekey") } }],
        diagnostics: {
          logAnalytics: {
            workspaceId: "a7f0b1c2-0000-4000-8000-00000000beef",
            workspaceKey: b64("workspacekey"),
            workspaceResourceId: hostileIds.workspace,
          },
        },
        osType: "Linux",
        restartPolicy: "OnFailure",
        ipAddress: { type: "Private", ip: "10.40.1.4", ports: [{ port: 8080, protocol: "TCP" }] },
      },
    },
    {
      id: hostileIds.environment,
      name: "cae-hostile",
      type: "Microsoft.App/managedEnvironments",
      location: "westeurope",
      tags: tags(),
      properties: {
        provisioningState: "Succeeded",
        defaultDomain: "kindhill-1234.westeurope.azurecontainerapps.io",
        appLogsConfiguration: {
          destination: "log-analytics",
          logAnalyticsConfiguration: { customerId: "a7f0b1c2-0000-4000-8000-00000000beef", sharedKey: b64("envsharedkey") },
        },
      },
    },
    {
      id: hostileIds.identity,
      name: "id-api",
      type: "Microsoft.ManagedIdentity/userAssignedIdentities",
      location: "westeurope",
      tags: tags(),
      properties: {
        tenantId: "b4f8b1c2-0000-4000-8000-0000000000aa",
        principalId: "25cc773c-7f05-40fc-a104-32d2300754ad",
        clientId: "a3c4b1c2-0000-4000-8000-0000000000bb",
      },
    },
    {
      id: hostileIds.containerApp,
      name: "ca-api",
      type: "Microsoft.App/containerApps",
      location: "westeurope",
      tags: tags(),
      identity: {
        type: "UserAssigned",
        userAssignedIdentities: {
          [hostileIds.identity]: { principalId: "25cc773c-7f05-40fc-a104-32d2300754ad", clientId: "a3c4b1c2-0000-4000-8000-0000000000bb" },
        },
      },
      properties: {
        provisioningState: "Succeeded",
        managedEnvironmentId: hostileIds.environment,
        environmentId: hostileIds.environment,
        latestRevisionFqdn: "ca-api--r1.kindhill-1234.westeurope.azurecontainerapps.io",
        configuration: {
          activeRevisionsMode: "Single",
          ingress: { fqdn: "ca-api.kindhill-1234.westeurope.azurecontainerapps.io", external: true, targetPort: 3000, transport: "auto" },
          secrets: [
            { name: "registry-pwd", value: s("registrypwd") },
            { name: "orders", value: s("ordersvalue") },
          ],
          registries: [{ server: "contoso.azurecr.io", username: "contoso", passwordSecretRef: "registry-pwd" }],
        },
        template: {
          containers: [
            {
              image: "contoso.azurecr.io/api:2.0",
              name: "api",
              env: [
                { name: "PORT", value: "3000" },
                { name: "ORDERS", secretRef: "orders" },
                {
                  name: "COSMOS",
                  value: `AccountEndpoint=https://cosmos-hostile.documents.azure.com:443/;AccountKey=${b64("cosmoskey")};`,
                },
                { name: "CLIENT_SECRET", value: s("clientsecret") },
                {
                  name: "CALLBACK",
                  value: `https://api.example.com/cb${query({ client_secret: s("querysecret"), apikey: s("queryapikey") })}`,
                },
              ],
              resources: { cpu: 0.5, memory: "1Gi" },
            },
          ],
          scale: { minReplicas: 1, maxReplicas: 5 },
        },
      },
    },
    {
      id: hostileIds.redis,
      name: "redis-hostile",
      type: "Microsoft.Cache/redis",
      location: "westeurope",
      tags: tags(),
      properties: {
        provisioningState: "Succeeded",
        hostName: "redis-hostile.redis.cache.windows.net",
        port: 6379,
        sslPort: 6380,
        sku: { name: "Standard", family: "C", capacity: 1 },
        accessKeys: { primaryKey: b64("redisprimary"), secondaryKey: b64("redissecondary") },
      },
    },
    {
      id: hostileIds.cosmos,
      name: "cosmos-hostile",
      type: "Microsoft.DocumentDB/databaseAccounts",
      location: "westeurope",
      kind: "GlobalDocumentDB",
      tags: tags(),
      properties: {
        provisioningState: "Succeeded",
        documentEndpoint: "https://cosmos-hostile.documents.azure.com:443/",
        databaseAccountOfferType: "Standard",
        keyVaultKeyUri: "https://kv-hostile.vault.azure.net/keys/cmk",
        primaryMasterKey: b64("cosmosprimarymaster"),
        secondaryMasterKey: b64("cosmossecondarymaster"),
        primaryReadonlyMasterKey: b64("cosmosreadonly"),
      },
    },
  ];
  return {
    estate: { subscriptions: [{ subscriptionId: HOSTILE_SUBSCRIPTION, displayName: "hostile", resources }] } as unknown as Estate,
    secrets: [...new Set(secrets)],
  };
}
