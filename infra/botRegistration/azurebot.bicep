// Azure Bot registration whose identity is a user-assigned managed identity, with the Teams channel.

@description('Globally unique name of the Azure Bot resource.')
param botServiceName string

@maxLength(42)
param botDisplayName string

@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@description('https://<web app host>/api/messages')
param messagingEndpoint string

@description('Client id of the managed identity (the bot app id, BOT_ID).')
param identityClientId string

@description('Tenant of the managed identity (BOT_TENANT_ID).')
param identityTenantId string

@description('Resource id of the managed identity.')
param identityResourceId string

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: messagingEndpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppTenantId: identityTenantId
    msaAppMSIResourceId: identityResourceId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output botServiceId string = botService.id
