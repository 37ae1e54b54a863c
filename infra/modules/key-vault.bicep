// Key Vault in RBAC mode holding the Upstash REST token. The app reads it through a Key Vault
// reference in its app settings, with the user-assigned identity (Key Vault Secrets User).

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

@secure()
@description('Azure DevOps personal access token; the secret is written only when this is not empty.')
param devopsPat string

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
    softDeleteRetentionInDays: 7
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

resource devopsPatSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(devopsPat)) {
  parent: vault
  name: 'devops-pat'
  properties: {
    value: devopsPat
    contentType: 'Azure DevOps personal access token'
  }
}

output name string = vault.name
@description('Versionless secret URI: the app follows the newest version of the secret.')
output upstashTokenSecretUri string = '${vault.properties.vaultUri}secrets/${upstashTokenSecretName}'
@description('Versionless secret URI of the Azure DevOps personal access token.')
output devopsPatSecretUri string = '${vault.properties.vaultUri}secrets/devops-pat'
