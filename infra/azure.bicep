// Azure resources for Stream Assistant (deployed by the `arm/deploy` action in teamsapp.yml):
// a Linux App Service plan and Node 22 LTS web app, a user-assigned managed identity that is both the
// bot identity (BOT_TYPE=UserAssignedMSI) and the identity for Azure OpenAI, and the Azure Bot with
// its Microsoft Teams channel. Outputs are written by the toolkit to env/.env.<environment>.

@minLength(4)
@maxLength(20)
@description('Base name of every resource; the toolkit appends RESOURCE_SUFFIX to keep names globally unique.')
param resourceBaseName string

@description('Region of the plan, web app and identity (the bot registration itself is global).')
param location string = resourceGroup().location

@description('App Service plan SKU. B1 is the smallest tier with Always On; use P0v3 or larger in production.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param webAppSku string = 'B1'

@description('Azure Bot SKU: F0 (free, standard channels such as Teams are unlimited) or S1.')
@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@maxLength(42)
@description('Display name of the Azure Bot resource.')
param botDisplayName string

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@description('ALLOWED_TENANTS: comma-separated tenant ids the bot answers; empty allows only the bot identity\'s own tenant.')
param allowedTenants string = ''

@description('RETENTION_DAYS: conversation history, answers and feedback older than this many days are deleted; 0 keeps them.')
param retentionDays string = '90'

@description('Days the Log Analytics workspace keeps the Application Insights data (the bot\'s traces and metrics).')
@minValue(30)
@maxValue(730)
param telemetryRetentionDays int = 30

@description('Folder for the bot database. /home is the persistent storage of App Service on Linux.')
param dataDir string = '/home/data'

@description('Folder with the knowledge-base Markdown files; empty keeps the bot default (knowledge/ in the app).')
param knowledgeDir string = ''

// Optional PostgreSQL (the scale-out backend): with usePostgres the bot keeps every store in an Azure Database
// for PostgreSQL flexible server instead of the SQLite file on /home, so the app may run several instances.
@description('Create a PostgreSQL flexible server with a database "bot" and set DATABASE_URL (needed to scale out).')
param usePostgres bool = false

@description('Administrator login of the PostgreSQL flexible server.')
param postgresAdminLogin string = 'botadmin'

@secure()
@description('Administrator password of the PostgreSQL flexible server (required with usePostgres).')
param postgresAdminPassword string = ''

@description('Compute SKU of the PostgreSQL flexible server (Burstable tier).')
param postgresSkuName string = 'Standard_B1ms'

// Model settings. Fill either the OpenAI group or the Azure OpenAI group; empty values are not
// written as app settings, so the bot never sees a half-configured provider.
@secure()
@description('OpenAI API key (OpenAI, or any OpenAI-compatible server with openAIBaseUrl).')
param openAIApiKey string = ''

@description('OpenAI model name, e.g. gpt-5-mini.')
param openAIModel string = ''

@description('Base URL of an OpenAI-compatible server; empty means api.openai.com.')
param openAIBaseUrl string = ''

@description('Which request fields the model gets: auto (from the model or deployment name), chat or reasoning. Set reasoning for an Azure deployment of an o-series or gpt-5 model whose name does not say so.')
@allowed([
  ''
  'auto'
  'chat'
  'reasoning'
])
param modelFamily string = ''

@description('reasoning_effort sent to reasoning models (none, minimal, low, medium, high, xhigh; model-dependent). Empty: the bot default, low. Must stay empty for chat models.')
@allowed([
  ''
  'none'
  'minimal'
  'low'
  'medium'
  'high'
  'xhigh'
])
param reasoningEffort string = ''

@secure()
@description('Azure OpenAI API key; leave empty with azureOpenAIUseManagedIdentity = true.')
param azureOpenAIApiKey string = ''

@description('Azure OpenAI endpoint, e.g. https://my-resource.openai.azure.com.')
param azureOpenAIEndpoint string = ''

@description('Azure OpenAI deployment name.')
param azureOpenAIDeploymentName string = ''

@description('Azure OpenAI REST API version.')
param azureOpenAIApiVersion string = ''

@description('true: authenticate to Azure OpenAI with the managed identity (AZURE_CLIENT_ID) instead of a key.')
@allowed([
  'true'
  'false'
])
param azureOpenAIUseManagedIdentity string = 'false'

@description('Resource id of the Azure OpenAI account. When set, the identity gets the Cognitive Services OpenAI User role on it (needs Owner or User Access Administrator there).')
param azureOpenAIResourceId string = ''

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

// Application Insights, workspace-based: it receives the bot's OpenTelemetry traces and metrics (one trace per
// turn; see docs/operations.md) through APPLICATIONINSIGHTS_CONNECTION_STRING, and keeps them in the workspace.
resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: telemetryRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // required for a Linux plan
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = if (usePostgres) {
  name: '${resourceBaseName}-pg'
  location: location
  sku: {
    name: postgresSkuName
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = if (usePostgres) {
  parent: postgres
  name: 'bot'
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0 admits Azure services (the web app) through the public endpoint. For production, prefer a server
// with private access in a VNet the web app is integrated with (see docs/operations.md).
resource postgresFirewallAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = if (usePostgres) {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// TLS is required by the server; sslmode=require makes the bot insist on it too.
var databaseUrl = usePostgres ? 'postgresql://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${postgresDatabase.name}?sslmode=require' : ''

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      // Node 22 LTS (Node 20 reached end of life on 2026-04-30; App Service drops end-of-life stacks). Keep the
      // major in step with package.json "engines" and .nvmrc (test/appPackage/infraFiles.test.ts checks it).
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node build/src/index.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // PORT is set by App Service itself. Settings with an empty value are left out.
      appSettings: filter([
        {
          // The zip holds sources, not node_modules: App Service runs npm install and npm run build
          // on Linux, so the native better-sqlite3 module is built for the server.
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'true'
        }
        {
          // Keeps /home (and so DATA_DIR) mounted as persistent storage.
          name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE'
          value: 'true'
        }
        {
          name: 'BOT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'BOT_TYPE'
          value: 'UserAssignedMSI'
        }
        {
          name: 'BOT_TENANT_ID'
          value: identity.properties.tenantId
        }
        {
          // Selects the user-assigned identity for DefaultAzureCredential (Azure OpenAI).
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'DATA_DIR'
          value: dataDir
        }
        {
          // /home is a network share: SQLite's WAL mode needs shared memory, so use a rollback journal there.
          name: 'SQLITE_JOURNAL_MODE'
          value: 'delete'
        }
        {
          name: 'KNOWLEDGE_DIR'
          value: knowledgeDir
        }
        {
          // Set only with usePostgres: every store then lives in PostgreSQL and instances share it.
          name: 'DATABASE_URL'
          value: databaseUrl
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          name: 'ALLOWED_TENANTS'
          value: empty(allowedTenants) ? identity.properties.tenantId : allowedTenants
        }
        {
          name: 'RETENTION_DAYS'
          value: retentionDays
        }
        {
          // The bot exports its OpenTelemetry traces and metrics to Application Insights when this is set.
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'OPENAI_API_KEY'
          value: openAIApiKey
        }
        {
          name: 'OPENAI_MODEL'
          value: openAIModel
        }
        {
          name: 'OPENAI_BASE_URL'
          value: openAIBaseUrl
        }
        {
          name: 'MODEL_FAMILY'
          value: modelFamily
        }
        {
          name: 'REASONING_EFFORT'
          value: reasoningEffort
        }
        {
          name: 'AZURE_OPENAI_API_KEY'
          value: azureOpenAIApiKey
        }
        {
          name: 'AZURE_OPENAI_ENDPOINT'
          value: azureOpenAIEndpoint
        }
        {
          name: 'AZURE_OPENAI_DEPLOYMENT_NAME'
          value: azureOpenAIDeploymentName
        }
        {
          name: 'AZURE_OPENAI_API_VERSION'
          value: azureOpenAIApiVersion
        }
        {
          name: 'AZURE_OPENAI_USE_MANAGED_IDENTITY'
          value: azureOpenAIUseManagedIdentity
        }
      ], setting => !empty(setting.value))
    }
  }
}

// No FTP publishing with basic credentials (deployments use zip deploy).
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

module botRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    botServiceName: resourceBaseName
    botDisplayName: botDisplayName
    botServiceSku: botServiceSku
    messagingEndpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    identityClientId: identity.properties.clientId
    identityTenantId: identity.properties.tenantId
    identityResourceId: identity.id
  }
}

// The role assignment is deployed into the resource group of the Azure OpenAI account. With no
// account id, the scope falls back to this resource group so the (skipped) module still has a
// valid scope expression.
var openAIAccountId = empty(azureOpenAIResourceId) ? '${resourceGroup().id}/providers/Microsoft.CognitiveServices/accounts/none' : azureOpenAIResourceId
var openAIAccountIdParts = split(openAIAccountId, '/')

module openAIUserRole './roles/azureOpenAIUser.bicep' = if (!empty(azureOpenAIResourceId)) {
  name: 'Azure-OpenAI-user-role-${resourceBaseName}'
  scope: resourceGroup(openAIAccountIdParts[2], openAIAccountIdParts[4])
  params: {
    accountName: last(openAIAccountIdParts)
    principalId: identity.properties.principalId
  }
}

// Written to env/.env.<environment> by the toolkit (names unchanged).
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
