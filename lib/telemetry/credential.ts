import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";

/** The client id the host's authentication string names (`ClientId=…;Authorization=AAD`), else AZURE_CLIENT_ID. */
export function telemetryClientId(env: NodeJS.ProcessEnv): string | undefined {
  const named = /(?:^|;)\s*ClientId=([^;]+)/i.exec(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? "")?.[1]?.trim();
  return named || env.AZURE_CLIENT_ID?.trim() || undefined;
}

/**
 * The credential telemetry is sent with: the app's user-assigned managed identity when a client id
 * is known (on Azure, infra sets both), else DefaultAzureCredential (a developer's sign-in).
 */
export function appCredential(env: NodeJS.ProcessEnv): TokenCredential {
  const clientId = telemetryClientId(env);
  return clientId === undefined ? new DefaultAzureCredential() : new ManagedIdentityCredential({ clientId });
}
