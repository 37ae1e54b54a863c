// The resource group that holds everything TopDeck runs on, except the Reader role assignments,
// which live in each target subscription.
targetScope = 'subscription'

@description('Name of the resource group.')
param name string

@description('Azure region of the resource group.')
param location string

@description('Tags for the resource group.')
param tags object

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: name
  location: location
  tags: tags
}

output name string = group.name
