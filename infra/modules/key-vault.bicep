// Key Vault in RBAC mode holding the app's secrets (the Upstash REST token, the Prometheus and
// Loki credentials). The app reads them through Key Vault references in its app settings, with
// the user-assigned identity (Key Vault Secrets User). Purge protection is on and deleted secrets
// are kept 90 days: a deleted secret or vault can be recovered, and nobody can purge it early.

@description('Name of the vault (3-24 letters, digits and hyphens).')
param name string

@description('Azure region.')
param location string

@description('Tags.')
param tags object

@description('Name of the secret that holds the Upstash REST token.')
param upstashTokenSecretName string

@secure()
@description('Upstash REST token; the secret is written only when this is not empty.')
param upstashRedisRestToken string

@description('Name of the secret that holds the Prometheus credentials (PROMETHEUS_AUTH).')
param prometheusAuthSecretName string

@secure()
@description('Prometheus credentials, bearer TOKEN or basic USER:PASSWORD; the secret is written only when this is not empty.')
param prometheusAuth string

@description('Name of the secret that holds the Loki credentials (LOKI_AUTH).')
param lokiAuthSecretName string

@secure()
@description('Loki credentials, bearer TOKEN or basic USER:PASSWORD; the secret is written only when this is not empty.')
param lokiAuth string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource upstashToken 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(upstashRedisRestToken)) {
  parent: vault
  name: upstashTokenSecretName
  properties: {
    value: upstashRedisRestToken
    contentType: 'Upstash REST token'
  }
}

resource prometheusAuthSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(prometheusAuth)) {
  parent: vault
  name: prometheusAuthSecretName
  properties: {
    value: prometheusAuth
    contentType: 'Prometheus credentials'
  }
}

resource lokiAuthSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(lokiAuth)) {
  parent: vault
  name: lokiAuthSecretName
  properties: {
    value: lokiAuth
    contentType: 'Loki credentials'
  }
}

output name string = vault.name
@description('Versionless secret URI: the app follows the newest version of the secret.')
output upstashTokenSecretUri string = '${vault.properties.vaultUri}secrets/${upstashTokenSecretName}'
@description('Versionless secret URI of the Prometheus credentials.')
output prometheusAuthSecretUri string = '${vault.properties.vaultUri}secrets/${prometheusAuthSecretName}'
@description('Versionless secret URI of the Loki credentials.')
output lokiAuthSecretUri string = '${vault.properties.vaultUri}secrets/${lokiAuthSecretName}'
