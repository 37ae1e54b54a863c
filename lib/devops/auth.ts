import type { TokenCredential } from "@azure/core-auth";
import { getBearerHandler, getPersonalAccessTokenHandler, WebApi } from "azure-devops-node-api";

import type { Logger } from "../log/index.js";

/** The Entra application id of Azure DevOps: tokens for it carry this resource. */
export const AZURE_DEVOPS_RESOURCE = "499b84ac-1321-427f-aa17-267ca6975798";

/** How DevOps discovery authenticates: an Entra token from a credential, or a personal access token. */
export type DevOpsAuth = { kind: "entra"; credential: TokenCredential } | { kind: "pat"; pat: string };

/** Options of {@link connectDevOps}. */
export interface ConnectOptions {
  orgUrl: string;
  auth: DevOpsAuth;
  /** A CA file to trust (the emulator's). */
  caFile?: string;
  log?: Logger;
}

/**
 * The real azure-devops-node-api client for one organisation. Logs which authentication is used,
 * never the secret. An Entra token is fetched once per connection (one discovery run).
 */
export async function connectDevOps(options: ConnectOptions): Promise<WebApi> {
  const requestOptions = options.caFile === undefined ? {} : { cert: { caFile: options.caFile } };
  if (options.auth.kind === "pat") {
    options.log?.info("devops: authenticating with a personal access token", { organization: options.orgUrl, auth: "pat" });
    return new WebApi(options.orgUrl, getPersonalAccessTokenHandler(options.auth.pat), requestOptions);
  }
  const token = await options.auth.credential.getToken(`${AZURE_DEVOPS_RESOURCE}/.default`);
  if (!token) throw new Error(`no Entra token for Azure DevOps (${AZURE_DEVOPS_RESOURCE})`);
  options.log?.info("devops: authenticating with an Entra token (DefaultAzureCredential)", { organization: options.orgUrl, auth: "entra" });
  return new WebApi(options.orgUrl, getBearerHandler(token.token), requestOptions);
}

/**
 * The authentication the settings ask for: the PAT when `DEVOPS_PAT` is set (a Key Vault
 * reference in infra), else an Entra token from `credential` (DefaultAzureCredential).
 */
export function devopsAuthOf(settings: { DEVOPS_PAT?: string | undefined }, credential: TokenCredential): DevOpsAuth {
  return settings.DEVOPS_PAT === undefined ? { kind: "entra", credential } : { kind: "pat", pat: settings.DEVOPS_PAT };
}
