// TopDeck in one subscription-scope deployment: resource group, storage, monitoring, Key Vault,
// the app's identity and its roles, and the Flex Consumption function app. Deploy and operate it as
// docs/deploy.md describes; a redeploy with the same parameters changes nothing.
targetScope = 'subscription'

@description('Short name of this installation (for example prod or test); part of every resource name.')
@minLength(1)
@maxLength(16)
param environmentName string = 'prod'

@description('Azure region for every resource. It must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = deployment().location

@description('Resource group to create or update.')
param resourceGroupName string = 'rg-topdeck-${environmentName}'

@description('Subscriptions TopDeck discovers: the app identity gets Reader on each, and TOPDECK_SUBSCRIPTIONS lists them.')
param targetSubscriptionIds array = [
  subscription().subscriptionId
]

@description('Memory of each function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the function app scales out to (Flex Consumption allows 40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Lowest level written to the log (TOPDECK_LOG_LEVEL).')
@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

@description('Resource types discovered at once per subscription (DISCOVERY_CONCURRENCY).')
@minValue(1)
@maxValue(256)
param discoveryConcurrency int = 8

@description('NCRONTAB schedule (UTC, six fields) of the discovery timer (DISCOVERY_SCHEDULE).')
param discoverySchedule string = '0 0 */6 * * *'

@description('Upstash REST URL of the Redis that holds snapshots, caches and locks. Empty: an in-memory store, for trials only.')
param upstashRedisRestUrl string = ''

@description('Prometheus HTTP API base URL for resource metrics, health and bottlenecks (PROMETHEUS_URL). Empty: those routes answer 503.')
param prometheusUrl string = ''

@description('Loki base URL for error logs along the dependency path (LOKI_URL). Empty: the errors route answers 503.')
param lokiUrl string = ''

@description('Azure DevOps organisation URLs to discover (DEVOPS_ORGANIZATIONS). Empty: none.')
param devopsOrganizations array = []

@secure()
@description('Azure DevOps personal access token, stored in Key Vault (DEVOPS_PAT). Pass an empty string to use the app identity\'s Entra token instead.')
param devopsPat string

@secure()
@description('Upstash REST token, stored in Key Vault. Pass an empty string only when upstashRedisRestUrl is empty.')
param upstashRedisRestToken string

@secure()
@description('Prometheus credentials (PROMETHEUS_AUTH: bearer TOKEN or basic USER:PASSWORD), stored in Key Vault. Empty: requests carry no credentials.')
param prometheusAuth string

@secure()
@description('Loki credentials (LOKI_AUTH: bearer TOKEN or basic USER:PASSWORD), stored in Key Vault. Empty: requests carry no credentials.')
param lokiAuth string

@description('Application (client) id of the Entra app registration for sign-in (docs/deploy.md, "Sign-in and roles"); its app roles are the entraAppRoles output.')
@minLength(36)
@maxLength(36)
param entraClientId string

@description('true: every request but anonymous health needs an Entra token. false: a token is optional, so automation may call with a function key alone.')
param requireSignIn bool = true

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Tags for every resource.')
param tags object = {
  app: 'topdeck'
  environment: environmentName
}

// Built-in role definition ids (the same in every tenant).
var roleIds = {
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
  StorageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  StorageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  StorageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  MonitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  KeyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

// The queue the app puts one discovery message per subscription on, and where the Functions host
// moves messages that keep failing.
var discoveryQueueName = 'discovery-runs'
var queueNames = [
  discoveryQueueName
  '${discoveryQueueName}-poison'
]
var deploymentContainerName = 'app-package'
var upstashTokenSecretName = 'upstash-redis-rest-token'
var prometheusAuthSecretName = 'prometheus-auth'
var lokiAuthSecretName = 'loki-auth'

// The app roles of the Entra app registration: the values lib/api/auth.ts checks (APP_ROLES).
// Their ids are derived, so every deployment of one installation names the same roles.
var appRoles = [
  {
    value: 'TopDeck.Reader'
    displayName: 'TopDeck reader'
    description: 'Query the estate: resources, topology, impact, risk, changes, monitoring, health details and runs.'
    allowedMemberTypes: [
      'User'
      'Application'
    ]
    isEnabled: true
    id: guid(subscription().id, environmentName, 'TopDeck.Reader')
  }
  {
    value: 'TopDeck.Operator'
    displayName: 'TopDeck operator'
    description: 'Start discovery runs, and everything a reader may do.'
    allowedMemberTypes: [
      'User'
      'Application'
    ]
    isEnabled: true
    id: guid(subscription().id, environmentName, 'TopDeck.Operator')
  }
]

var token = take(uniqueString(subscription().id, resourceGroupName), 13)
var names = {
  identity: 'id-topdeck-${environmentName}'
  storage: 'sttopdeck${token}'
  logAnalytics: 'log-topdeck-${environmentName}'
  applicationInsights: 'appi-topdeck-${environmentName}'
  keyVault: 'kv-topdeck-${token}'
  plan: 'plan-topdeck-${environmentName}'
  functionApp: 'func-topdeck-${token}'
}

// The token is referenced only with both a URL and a token. A URL without a token leaves
// UPSTASH_REDIS_REST_TOKEN empty, and the app refuses to start, naming the setting.
var referenceUpstashToken = !empty(upstashRedisRestUrl) && !empty(upstashRedisRestToken)

module group 'modules/resource-group.bicep' = {
  name: 'topdeck-${environmentName}-group'
  params: {
    name: resourceGroupName
    location: location
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'topdeck-identity'
  scope: resourceGroup(resourceGroupName)
  dependsOn: [
    group
  ]
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'topdeck-storage'
  scope: resourceGroup(resourceGroupName)
  dependsOn: [
    group
  ]
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    queueNames: queueNames
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'topdeck-monitoring'
  scope: resourceGroup(resourceGroupName)
  dependsOn: [
    group
  ]
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'topdeck-key-vault'
  scope: resourceGroup(resourceGroupName)
  dependsOn: [
    group
  ]
  params: {
    name: names.keyVault
    location: location
    tags: tags
    upstashTokenSecretName: upstashTokenSecretName
    upstashRedisRestToken: upstashRedisRestToken
    prometheusAuthSecretName: prometheusAuthSecretName
    prometheusAuth: prometheusAuth
    lokiAuthSecretName: lokiAuthSecretName
    lokiAuth: lokiAuth
    devopsPat: devopsPat
  }
}

module roles 'modules/role-assignments.bicep' = {
  name: 'topdeck-role-assignments'
  scope: resourceGroup(resourceGroupName)
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    storageRoleIds: [
      roleIds.StorageBlobDataOwner
      roleIds.StorageQueueDataContributor
      roleIds.StorageTableDataContributor
    ]
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    monitoringRoleId: roleIds.MonitoringMetricsPublisher
    keyVaultName: keyVault.outputs.name
    keyVaultRoleId: roleIds.KeyVaultSecretsUser
  }
}

module readers 'modules/subscription-reader.bicep' = [
  for subscriptionId in targetSubscriptionIds: {
    name: take('topdeck-${environmentName}-reader-${subscriptionId}', 64)
    scope: subscription(subscriptionId)
    params: {
      principalId: identity.outputs.principalId
      readerRoleId: roleIds.Reader
    }
  }
]

// Every setting lib/config/schema.ts reads, one line each. test/infra/bicep.test.ts fails when
// this list and the schema disagree: a new setting is a new line here. Host settings (storage,
// Application Insights, identity) are in modules/function-app.bicep.
var appSettings = {
  TOPDECK_LOG_LEVEL: logLevel
  TOPDECK_AUTH_MODE: requireSignIn ? 'entra' : 'keys'
  UPSTASH_REDIS_REST_URL: upstashRedisRestUrl
  UPSTASH_REDIS_REST_TOKEN: referenceUpstashToken ? '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.upstashTokenSecretUri})' : ''
  CACHE_TIMEOUT_MS: '250'
  CACHE_MAX_ENTRIES: '10000'
  CACHE_MAX_BYTES: '67108864'
  SNAPSHOT_CHUNK_BYTES: '1000000'
  SNAPSHOT_KEEP: '3'
  ARM_ENDPOINT: environment().resourceManager
  AZURE_AUTHORITY_HOST: environment().authentication.loginEndpoint
  TOPDECK_SUBSCRIPTIONS: join(targetSubscriptionIds, ',')
  DISCOVERY_CONCURRENCY: string(discoveryConcurrency)
  DISCOVERY_SCHEDULE: discoverySchedule
  DISCOVERY_LOCK_TTL_MS: '600000'
  DISCOVERY_START_COOLDOWN_MS: '60000'
  DISCOVERY_MAX_PAGES: '1000'
  PROMETHEUS_URL: prometheusUrl
  PROMETHEUS_AUTH: empty(prometheusAuth) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.prometheusAuthSecretUri})'
  LOKI_URL: lokiUrl
  LOKI_AUTH: empty(lokiAuth) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.lokiAuthSecretUri})'
  MONITORING_TIMEOUT_MS: '3000'
  MONITORING_QUERY_TEMPLATES: ''
  DEVOPS_ORGANIZATIONS: join(devopsOrganizations, ',')
  DEVOPS_PAT: empty(devopsPat) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.devopsPatSecretUri})'
  DEVOPS_REQUESTS_PER_MINUTE: '200'
  DEVOPS_RUNS_WINDOW_HOURS: '168'
}

module functionApp 'modules/function-app.bicep' = {
  name: 'topdeck-function-app'
  scope: resourceGroup(resourceGroupName)
  // The host must find its roles in place on first start.
  dependsOn: [
    roles
  ]
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: appSettings
  }
}

module signIn 'modules/function-app-auth.bicep' = {
  name: 'topdeck-function-app-auth'
  scope: resourceGroup(resourceGroupName)
  params: {
    siteName: functionApp.outputs.name
    clientId: entraClientId
    requireSignIn: requireSignIn
    excludedPaths: [
      '/api/health'
    ]
  }
}

output resourceGroupName string = resourceGroupName
output functionAppName string = functionApp.outputs.name
output functionAppUrl string = functionApp.outputs.url
output identityPrincipalId string = identity.outputs.principalId
output keyVaultName string = keyVault.outputs.name
output storageAccountName string = storage.outputs.name
@description('The app roles to set on the app registration (az ad app update --app-roles), and the sign-in redirect URI.')
output entraAppRoles array = appRoles
output entraRedirectUri string = '${functionApp.outputs.url}/.auth/login/aad/callback'
