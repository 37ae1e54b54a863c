// Reader for the app identity on one target subscription, deployed at that subscription's scope.
// The name is a guid() of subscription, principal and role: redeploying, or deploying this file on
// its own for a new subscription (docs/deploy.md), finds the same assignment.
targetScope = 'subscription'

@description('Principal (object) id of the app identity.')
param principalId string

@description('Role definition id of Reader.')
param readerRoleId string

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, readerRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
