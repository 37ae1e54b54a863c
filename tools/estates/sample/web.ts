// Builders for the web and observability side: App Service plans and sites (GetWebApp,
// GetAppServicePlan), Application Insights components (ComponentsGet), metric alerts, action
// groups and a shared portal dashboard.
import type { ArmResource } from "../schema.js";
import { guidFrom, resourceId, TENANT_ID } from "./ids.js";
import type { Placement } from "./network.js";

/** The id of App Service plan `name`. */
export function planId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Web", "serverfarms", name);
}

/** A Linux App Service plan. */
export function appServicePlan(
  at: Placement,
  opts: { sku: { name: string; tier: string; family: string }; workers: number; zoneRedundant: boolean; sites: number },
): ArmResource {
  return {
    id: planId(at.sub, at.rg, at.name),
    name: at.name,
    type: "Microsoft.Web/serverfarms",
    kind: "linux",
    location: at.location,
    tags: at.tags ?? {},
    properties: {
      status: "Ready",
      maximumNumberOfWorkers: opts.sku.tier === "PremiumV3" ? 30 : 10,
      numberOfWorkers: opts.workers,
      geoRegion: at.location,
      numberOfSites: opts.sites,
      isSpot: false,
      reserved: true,
      isXenon: false,
      hyperV: false,
      targetWorkerCount: 0,
      targetWorkerSizeId: 0,
      provisioningState: "Succeeded",
      perSiteScaling: false,
      elasticScaleEnabled: false,
      maximumElasticWorkerCount: 1,
      zoneRedundant: opts.zoneRedundant,
      asyncScalingEnabled: false,
    },
    sku: { name: opts.sku.name, tier: opts.sku.tier, size: opts.sku.name, family: opts.sku.family, capacity: opts.workers },
  };
}

/** The id of site `name`. */
export function siteId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Web", "sites", name);
}

/** The default host name App Service gives site `name`. */
export function defaultHostName(name: string): string {
  return `${name}.azurewebsites.net`;
}

/** A Linux web or function app with regional VNet integration (`virtualNetworkSubnetId`). */
export function site(
  at: Placement,
  opts: {
    kind: "app,linux" | "functionapp,linux";
    planId: string;
    planSku: string;
    subnetId: string;
    linuxFxVersion: string;
    identity: Record<string, unknown>;
    alwaysOn: boolean;
  },
): ArmResource {
  const id = siteId(at.sub, at.rg, at.name);
  const host = defaultHostName(at.name);
  const scm = `${at.name}.scm.azurewebsites.net`;
  const ip = (n: number): string => `20.105.${(n * 7) % 250}.${(n * 13) % 250}`;
  const seed = parseInt(guidFrom(id).slice(0, 4), 16);
  return {
    id,
    name: at.name,
    type: "Microsoft.Web/sites",
    kind: opts.kind,
    location: at.location,
    tags: at.tags ?? {},
    identity: opts.identity,
    properties: {
      name: at.name,
      state: "Running",
      hostNames: [host],
      repositorySiteName: at.name,
      usageState: "Normal",
      enabled: true,
      enabledHostNames: [host, scm],
      availabilityState: "Normal",
      hostNameSslStates: [
        { name: host, sslState: "Disabled", hostType: "Standard" },
        { name: scm, sslState: "Disabled", hostType: "Repository" },
      ],
      serverFarmId: opts.planId,
      reserved: true,
      isXenon: false,
      hyperV: false,
      lastModifiedTimeUtc: "2024-10-02T14:21:07.4366667",
      vnetRouteAllEnabled: true,
      vnetImagePullEnabled: false,
      vnetContentShareEnabled: false,
      outboundVnetRouting: {
        allTraffic: true,
        applicationTraffic: false,
        contentShareTraffic: false,
        imagePullTraffic: false,
        backupRestoreTraffic: false,
      },
      siteConfig: {
        numberOfWorkers: 1,
        linuxFxVersion: opts.linuxFxVersion,
        acrUseManagedIdentityCreds: false,
        alwaysOn: opts.alwaysOn,
        http20Enabled: true,
        functionAppScaleLimit: 0,
        minimumElasticInstanceCount: 0,
        minTlsVersion: "1.2",
        scmMinTlsVersion: "1.2",
        ftpsState: "Disabled",
      },
      scmSiteAlsoStopped: false,
      clientAffinityEnabled: false,
      clientCertEnabled: false,
      clientCertMode: "Required",
      hostNamesDisabled: false,
      customDomainVerificationId: guidFrom(`cdv:${at.sub}`).replace(/-/g, "").toUpperCase(),
      outboundIpAddresses: [1, 2, 3].map((n) => ip(seed + n)).join(","),
      possibleOutboundIpAddresses: [1, 2, 3, 4, 5, 6].map((n) => ip(seed + n)).join(","),
      containerSize: opts.kind.startsWith("functionapp") ? 1536 : 0,
      dailyMemoryTimeQuota: 0,
      resourceGroup: at.rg,
      defaultHostName: host,
      httpsOnly: true,
      redundancyMode: "None",
      publicNetworkAccess: "Enabled",
      storageAccountRequired: false,
      virtualNetworkSubnetId: opts.subnetId,
      keyVaultReferenceIdentity: "SystemAssigned",
      sku: opts.planSku,
    },
  };
}

/** The id of Application Insights component `name`. */
export function componentId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "Microsoft.Insights", "components", name);
}

/**
 * A workspace-based Application Insights component. `linkedApps` become the portal's
 * `hidden-link:{id}` tags that say which apps send their telemetry here.
 */
export function applicationInsights(
  at: Placement,
  opts: { workspaceResourceId: string; linkedApps: string[]; profilerStorageId?: string },
): ArmResource {
  const id = componentId(at.sub, at.rg, at.name);
  const key = guidFrom(`ikey:${id}`);
  const appId = guidFrom(`appid:${id}`);
  const tags: Record<string, string> = { ...(at.tags ?? {}) };
  for (const app of opts.linkedApps) tags[`hidden-link:${app}`] = "Resource";
  const properties: Record<string, unknown> = {
    ApplicationId: at.name,
    AppId: appId,
    Application_Type: "web",
    Flow_Type: "Redfield",
    Request_Source: "IbizaAIExtension",
    InstrumentationKey: key,
    ConnectionString: `InstrumentationKey=${key};IngestionEndpoint=https://${at.location}-5.in.applicationinsights.azure.com/;LiveEndpoint=https://${at.location}.livediagnostics.monitor.azure.com/;ApplicationId=${appId}`,
    Name: at.name,
    CreationDate: "2024-02-19T16:03:44.2051862+00:00",
    TenantId: at.sub,
    provisioningState: "Succeeded",
    SamplingPercentage: null,
    RetentionInDays: 90,
    WorkspaceResourceId: opts.workspaceResourceId,
    IngestionMode: "LogAnalytics",
    publicNetworkAccessForIngestion: "Enabled",
    publicNetworkAccessForQuery: "Enabled",
    Ver: "v2",
  };
  if (opts.profilerStorageId) properties.LinkedStorages = { ServiceProfilerLinkedStorage: opts.profilerStorageId };
  return {
    id,
    name: at.name,
    type: "Microsoft.Insights/components",
    location: at.location,
    tags,
    kind: "web",
    etag: `"${guidFrom(`etag:${id}`)}"`,
    properties,
  };
}

/** The id of action group `name`, spelled as the Insights RP returns it (`microsoft.insights`). */
export function actionGroupId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, "microsoft.insights", "actionGroups", name);
}

/** An e-mail action group. */
export function actionGroup(at: Placement, shortName: string, emails: string[]): ArmResource {
  return {
    id: actionGroupId(at.sub, at.rg, at.name),
    type: "Microsoft.Insights/ActionGroups",
    name: at.name,
    location: "Global",
    tags: at.tags ?? {},
    properties: {
      groupShortName: shortName,
      enabled: true,
      emailReceivers: emails.map((emailAddress, i) => ({
        name: `email-${i}`,
        emailAddress,
        useCommonAlertSchema: true,
        status: "Enabled",
      })),
      smsReceivers: [],
      webhookReceivers: [],
      eventHubReceivers: [],
      itsmReceivers: [],
      azureAppPushReceivers: [],
      automationRunbookReceivers: [],
      voiceReceivers: [],
      logicAppReceivers: [],
      azureFunctionReceivers: [],
      armRoleReceivers: [],
    },
  };
}

/** A static-threshold metric alert on one resource, notifying action groups (their ids lower-cased, as the RP stores them). */
export function metricAlert(
  at: Placement,
  opts: { scope: string; targetType: string; metric: string; threshold: number; actionGroupIds: string[]; region: string },
): ArmResource {
  return {
    id: resourceId(at.sub, at.rg, "Microsoft.Insights", "metricAlerts", at.name),
    name: at.name,
    type: "Microsoft.Insights/metricAlerts",
    location: "global",
    tags: at.tags ?? {},
    properties: {
      description: `${opts.metric} above ${opts.threshold} in 5 minutes`,
      severity: 1,
      enabled: true,
      scopes: [opts.scope],
      evaluationFrequency: "PT1M",
      windowSize: "PT5M",
      criteria: {
        allOf: [
          {
            threshold: opts.threshold,
            name: "Metric1",
            metricNamespace: opts.targetType,
            metricName: opts.metric,
            operator: "GreaterThan",
            timeAggregation: "Total",
            skipMetricValidation: false,
            criterionType: "StaticThresholdCriterion",
          },
        ],
        "odata.type": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
      },
      autoMitigate: true,
      targetResourceType: opts.targetType,
      targetResourceRegion: opts.region,
      actions: opts.actionGroupIds.map((id) => ({ actionGroupId: id.toLowerCase(), webHookProperties: {} })),
    },
  };
}

/** A shared portal dashboard: a markdown tile and one metrics chart per charted resource. */
export function dashboard(
  at: Placement,
  opts: { title: string; charts: { resourceId: string; namespace: string; metric: string; title: string }[] },
): ArmResource {
  const markdown = {
    position: { x: 0, y: 0, colSpan: 6, rowSpan: 2 },
    metadata: {
      inputs: [],
      type: "Extension/HubsExtension/PartType/MarkdownPart",
      settings: {
        content: {
          settings: {
            content: `## ${opts.title}\nOwned by the platform team (${TENANT_ID.slice(0, 8)}).`,
            title: opts.title,
            subtitle: "",
          },
        },
      },
    },
  };
  const charts = opts.charts.map((c, i) => ({
    position: { x: (i % 2) * 6, y: 2 + Math.floor(i / 2) * 4, colSpan: 6, rowSpan: 4 },
    metadata: {
      inputs: [
        {
          name: "options",
          value: {
            chart: {
              metrics: [
                {
                  resourceMetadata: { id: c.resourceId },
                  name: c.metric,
                  aggregationType: 1,
                  namespace: c.namespace,
                  metricVisualization: { displayName: c.title },
                },
              ],
              title: c.title,
              titleKind: 1,
              visualization: { chartType: 2 },
            },
          },
          isOptional: true,
        },
        { name: "sharedTimeRange", isOptional: true },
      ],
      type: "Extension/HubsExtension/PartType/MonitorChartPart",
    },
  }));
  return {
    id: resourceId(at.sub, at.rg, "Microsoft.Portal", "dashboards", at.name),
    name: at.name,
    type: "Microsoft.Portal/dashboards",
    location: at.location,
    tags: { "hidden-title": opts.title, ...(at.tags ?? {}) },
    properties: {
      lenses: [{ order: 0, parts: [markdown, ...charts] }],
      metadata: {
        model: {
          timeRange: {
            value: { relative: { duration: 24, timeUnit: 1 } },
            type: "MsPortalFx.Composition.Configuration.ValueTypes.TimeRange",
          },
        },
      },
    },
  };
}
