// Grants a principal the "Cognitive Services OpenAI User" role on an existing Azure OpenAI account,
// so the bot can call it with its managed identity instead of an API key.
// Deployed into the resource group of that account.

@description('Name of the Azure OpenAI (Cognitive Services) account in this resource group.')
param accountName string

@description('Object (principal) id of the managed identity.')
param principalId string

// Built-in role "Cognitive Services OpenAI User".
var openAIUserRoleId = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2023-05-01' existing = {
  name: accountName
}

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, openAIUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAIUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
