// The app identity's data-plane roles inside the resource group. Each assignment's name is a
// guid() of scope, principal and role, so a redeploy finds the same assignment and changes nothing.

@description('Principal (object) id of the app identity.')
param principalId string

@description('Storage account the Functions host and the app use.')
param storageAccountName string

@description('Role definition ids to grant on the storage account.')
param storageRoleIds array

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

@description('Role definition id to grant on Application Insights (Monitoring Metrics Publisher).')
param monitoringRoleId string

@description('Key Vault holding the Upstash token.')
param keyVaultName string

@description('Role definition id to grant on the Key Vault (Key Vault Secrets User).')
param keyVaultRoleId string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoleIds: {
    name: guid(storage.id, principalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource monitoringRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, monitoringRoleId)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
