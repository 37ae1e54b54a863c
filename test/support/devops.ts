// The real azure-devops-node-api client pointed at the Azure DevOps emulator.
import { getBearerHandler, getPersonalAccessTokenHandler, WebApi } from "azure-devops-node-api";

import { parseOrganisation } from "../../tools/devops-emulator/organisation.js";
import { sampleOrganisation } from "../../tools/devops-emulator/sample-org.js";

/** What a client needs of a running emulator. */
export interface DevOpsEndpoint {
  orgUrl: string;
  caCertPath: string;
}

/** A WebApi for the emulator's organisation, trusting its CA; PAT auth unless a bearer token is given. */
export function devopsClient(emulator: DevOpsEndpoint, auth: { pat?: string; bearer?: string } = {}): WebApi {
  const handler = auth.bearer === undefined ? getPersonalAccessTokenHandler(auth.pat ?? "emulator-pat") : getBearerHandler(auth.bearer);
  return new WebApi(emulator.orgUrl, handler, { cert: { caFile: emulator.caCertPath } });
}

/** The sample organisation, parsed. */
export const sampleOrg = () => parseOrganisation(sampleOrganisation);
