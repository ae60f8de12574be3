// The Function App on a Flex Consumption (FC1) plan, with every setting the app reads.
// The app settings are one literal object on purpose: the settings test reads their names from
// the compiled template, so keep them literal (no union() or loops) and add new ones here.
param name string
param planName string
param location string
param tags object
param storageAccountName string
@description('The queue SendSms is triggered by (%Storage:SmsQueueName% in its binding).')
param smsQueueName string
param deploymentContainerName string
param identityId string
param identityClientId string
param applicationInsightsConnectionString string
param keyVaultName string

@description('True when the Twilio auth token secret exists in the vault.')
param twilioAuthTokenInVault bool
param twilioAccountSid string
param twilioFrom string
param twilioMessagingServiceSid string

param festivalCatalogFile string
@description('ISO 8601 moment to pin the clock to; empty in production.')
param festivalNow string

@description('The public address in ticket links (Festival:PublicBaseUrl).')
param publicBaseUrl string

@description('The key id new tickets are signed with (Tickets:CurrentKeyId).')
param ticketCurrentKeyId string

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource api 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Functions host: identity-based host storage (blobs for keys and timers, queues for triggers).
      AzureWebJobsStorage__accountName: storage.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

      // StorageOptions: service URIs and the managed identity; no connection string in Azure.
      Storage__ConnectionString: ''
      Storage__TableServiceUri: storage.properties.primaryEndpoints.table
      Storage__QueueServiceUri: storage.properties.primaryEndpoints.queue
      Storage__ManagedIdentityClientId: identityClientId
      Storage__SmsQueueName: smsQueueName
      Storage__NetworkTimeout: '00:00:10'
      Storage__MaxRetries: '3'
      Storage__StartupWait: '00:01:00'
      Storage__StartupRetryDelay: '00:00:01'

      // FestivalOptions
      Festival__CatalogFile: festivalCatalogFile
      Festival__Now: festivalNow
      Festival__PublicBaseUrl: publicBaseUrl

      // TicketOptions: the signing keys are a Key Vault secret (id:secret pairs); rotation adds one and makes it current.
      Tickets__SigningKeys: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=ticket-signing-keys)'
      Tickets__CurrentKeyId: ticketCurrentKeyId

      // ReservationOptions
      Reservations__CommitMode: 'Batched'
      Reservations__MaxCommitAttempts: '12'
      Reservations__Allotments: '16'
      Reservations__MinSeatsPerAllotment: '8'
      Reservations__MaxPerPhonePerDay: '4'

      // PrivacyOptions
      Privacy__PhoneHashKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=privacy-phone-hash-key)'
      Privacy__RetentionDays: '30'

      // RateLimitOptions: per client address, held across instances; they catch floods (a carrier NAT
      // puts thousands of phones behind one address). The front end appends the client's address as
      // the last X-Forwarded-For entry: trust that one hop.
      RateLimits__ReservationsPerMinute: '1200'
      RateLimits__LookupsPerMinute: '1200'
      RateLimits__FailedLookupsPerHour: '600'
      RateLimits__StatusCallbacksPerMinute: '3000'
      RateLimits__TrustedProxyHops: '1'
      RateLimits__FailedLookupsPerCode: '10'
      RateLimits__CodeLockout: '00:15:00'

      // SmsOptions: how long a delivery holds a message while it sends (shorter than the queue's retries span).
      Sms__SendLease: '00:02:00'
      Sms__MaxPerPhonePerDay: '10'

      // TwilioOptions: an empty AccountSid makes the app log messages instead of sending them.
      Twilio__AccountSid: twilioAccountSid
      Twilio__AuthToken: twilioAuthTokenInVault
        ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=twilio-auth-token)'
        : ''
      Twilio__From: twilioFrom
      Twilio__MessagingServiceSid: twilioMessagingServiceSid
      Twilio__StatusCallbackUrl: 'https://${api.properties.defaultHostName}/api/sms/status'
    }
  }
}

// No FTP or basic-auth publishing: azd deploys the package to the blob container as the identity.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: api
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: api
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = api.name
output uri string = 'https://${api.properties.defaultHostName}'
