// Federated identity credentials on the sample estate's user-assigned identities, in the shape of
// ARM's FederatedIdentityCredentialsGet (Microsoft.ManagedIdentity 2023-01-31): an Azure DevOps
// workload-identity connection, an AKS service account and a GitHub Actions environment. They link
// the sample estate to the sample Azure DevOps organisation (tools/devops-emulator/sample-org.ts).
import type { ArmResource, Estate } from "../schema.js";
import { SUB_PROD } from "./ids.js";

/** The ARM type of a user-assigned identity's federated credential. */
export const FEDERATED_CREDENTIAL_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";

function credential(rg: string, identity: string, name: string, issuer: string, subject: string): ArmResource {
  return {
    id: `/subscriptions/${SUB_PROD}/resourcegroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identity}/federatedIdentityCredentials/${name}`,
    name,
    type: FEDERATED_CREDENTIAL_TYPE,
    properties: { issuer, subject, audiences: ["api://AzureADTokenExchange"] },
  };
}

/** The sample's federated credentials: `sc://contoso/web/sc-aks-prod`, an AKS service account, `repo:contoso/web-app:environment:prod`. */
export function sampleFederatedCredentials(): ArmResource[] {
  return [
    credential(
      "rg-aks-prod",
      "id-workload-prod-weu",
      "ado-sc-aks-prod",
      "https://vstoken.dev.azure.com/7a1e4c9b-8d2f-4e5a-b3c2-1d0e0b6f3c2d",
      "sc://contoso/web/sc-aks-prod",
    ),
    credential(
      "rg-aks-prod",
      "id-workload-prod-weu",
      "aks-web-serviceaccount",
      "https://oidc.prod-aks.azure.com/0b6f3c2d-7a1e-4c9b-8d2f-5e4a3b2c1d0e/6f1c2a3b-0000-4000-8000-000000000001/",
      "system:serviceaccount:web:web-app",
    ),
    credential(
      "rg-network-prod",
      "id-agw-prod-weu",
      "github-web-app-prod",
      "https://token.actions.githubusercontent.com",
      "repo:contoso/web-app:environment:prod",
    ),
  ];
}

/** The estate with the sample's federated credentials added to the production subscription (the demo's estate). */
export function withSampleFederatedCredentials(estate: Estate): Estate {
  return {
    ...estate,
    subscriptions: estate.subscriptions.map((s) =>
      s.subscriptionId.toLowerCase() === SUB_PROD ? { ...s, resources: [...s.resources, ...sampleFederatedCredentials()] } : s,
    ),
  };
}
