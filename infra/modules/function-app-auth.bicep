// App Service Authentication (Easy Auth, authsettingsV2) on the function app, with Microsoft
// Entra ID as the only identity provider. The platform validates bearer tokens for the app
// registration and passes the signed-in principal, with its app roles, to the app in
// x-ms-client-principal (client-sent copies are stripped); the app checks the roles
// (lib/api/auth.ts). The Functions host still checks function keys on function-auth routes.

@description('Name of the function app.')
param siteName string

@description('Application (client) id of the Entra app registration that defines the app roles.')
param clientId string

@description('true: every request but anonymous health needs an Entra token (401 otherwise). false: a token is optional, so function-key-only automation works; the app still checks the roles of whoever signs in.')
param requireSignIn bool

@description('Paths the platform lets through without a token: anonymous health.')
param excludedPaths array

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: requireSignIn
      unauthenticatedClientAction: requireSignIn ? 'Return401' : 'AllowAnonymous'
      excludedPaths: excludedPaths
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${clientId}'
            clientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
  }
}
