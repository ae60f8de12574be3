// Secrets the app reads through Key Vault references. RBAC only (no access policies); soft delete on.
param name string
param location string
param tags object

@secure()
@description('Twilio auth token; empty means no secret is written and the app falls back to its logging SMS sender.')
param twilioAuthToken string

@secure()
@description('Key for the HMAC that hashes phone numbers (Privacy:PhoneHashKey).')
param privacyPhoneHashKey string

@secure()
@description('Ticket signing keys as id:secret pairs (Tickets:SigningKeys); every key still honoured, the current one among them.')
param ticketSigningKeys string

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

  resource twilioAuthTokenSecret 'secrets' = if (!empty(twilioAuthToken)) {
    name: 'twilio-auth-token'
    properties: {
      value: twilioAuthToken
    }
  }

  resource ticketSigningKeysSecret 'secrets' = {
    name: 'ticket-signing-keys'
    properties: {
      value: ticketSigningKeys
    }
  }

  resource privacyPhoneHashKeySecret 'secrets' = {
    name: 'privacy-phone-hash-key'
    properties: {
      value: privacyPhoneHashKey
    }
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
