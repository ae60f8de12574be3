// FestivalReservations on Azure: `azd up` provisions this, then deploys ./functions as service `api`.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource; the Flex Consumption plan must be offered there.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = 'koreacentral'

@description('Object id of whoever runs azd (AZURE_PRINCIPAL_ID); gets Key Vault Secrets Officer. Empty to skip.')
param principalId string = ''

@secure()
@description('Twilio auth token (TWILIO_AUTH_TOKEN). Empty: no secret, and with no account SID the app logs SMS instead of sending.')
param twilioAuthToken string = ''

@secure()
@minLength(32)
@description('HMAC key for phone hashes (PRIVACY_PHONE_HASH_KEY); the preprovision hook in azure.yaml generates one per environment.')
param privacyPhoneHashKey string

@secure()
@minLength(34)
@description('Ticket signing keys, id:secret pairs separated by commas (TICKET_SIGNING_KEYS); the preprovision hook generates key 1. Rotate by appending a key and setting ticketCurrentKeyId to it.')
param ticketSigningKeys string

@description('The key id new tickets are signed with (TICKET_CURRENT_KEY_ID).')
param ticketCurrentKeyId string = '1'

@minLength(1)
@maxLength(26)
@description('The short public address of the app (PUBLIC_BASE_URL, e.g. https://festa.example.kr): SMS carry {publicBaseUrl}/t/{ticket}, so at most 26 characters; the default azurewebsites.net name is too long for an SMS.')
param publicBaseUrl string

@description('Twilio account SID (TWILIO_ACCOUNT_SID); empty keeps the logging SMS sender.')
param twilioAccountSid string = ''

@description('Numeric sender number (TWILIO_FROM); or use a messaging service.')
param twilioFrom string = ''

@description('Twilio messaging service SID (TWILIO_MESSAGING_SERVICE_SID).')
param twilioMessagingServiceSid string = ''

@description('Catalog file loaded into an empty store, relative to the app folder.')
param festivalCatalogFile string = 'catalog/2024-autumn.json'

@description('Pins the app clock (ISO 8601 with offset) for a demo of a past season; empty in production.')
param festivalNow string = ''

@description('Upper bound on Flex Consumption instances during a rush.')
param maximumInstanceCount int = 40

@description('Email address the alerts go to (ALERT_EMAIL); empty: the action group has no email receiver.')
param alertEmail string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

// The queue of SMS requests (Storage__SmsQueueName) and its poison queue.
var smsQueueName = 'sms'

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    // The app creates what is missing at start; these are here so a fresh deployment shows them.
    // The daily RateLimitsyyyyMMdd tables are not listed: the app creates each on its day and deletes
    // it two days on (AddressBudgetLedger), under Storage Table Data Contributor on the account (rbac.bicep).
    tableNames: ['Catalog', 'Sessions', 'Codes', 'Idempotency', 'SmsLog', 'OutboxIndex', 'SessionsByEnd', 'ErasureRuns', 'PhoneDays', 'CodeFailures']
    queueNames: [smsQueueName, '${smsQueueName}-poison']
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

// Alerts (action group, scheduled query rules) and the workbook over the app's telemetry.
module alerts 'app/monitoring.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    storageAccountName: storage.outputs.name
    location: location
    tags: tags
    alertEmail: alertEmail
  }
}

module keyVault 'core/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    twilioAuthToken: twilioAuthToken
    privacyPhoneHashKey: privacyPhoneHashKey
    ticketSigningKeys: ticketSigningKeys
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  // The app reads storage and secrets as its identity from the first start: grant the roles first.
  dependsOn: [rbac]
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    smsQueueName: smsQueueName
    deploymentContainerName: deploymentContainerName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultName: keyVault.outputs.name
    twilioAuthTokenInVault: !empty(twilioAuthToken)
    twilioAccountSid: twilioAccountSid
    twilioFrom: twilioFrom
    twilioMessagingServiceSid: twilioMessagingServiceSid
    festivalCatalogFile: festivalCatalogFile
    festivalNow: festivalNow
    publicBaseUrl: publicBaseUrl
    ticketCurrentKeyId: ticketCurrentKeyId
    maximumInstanceCount: maximumInstanceCount
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
