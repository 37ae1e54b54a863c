// The app's user-assigned managed identity. It exists before the function app, so every role
// assignment (and the Key Vault reference) is in place when the Functions host first starts, and it
// outlives the app if the app is ever recreated.

@description('Name of the identity.')
param name string

@description('Azure region.')
param location string

@description('Tags.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
