// The real azure-devops-node-api client pointed at the Azure DevOps emulator.
import { readFileSync } from "node:fs";

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

/** The links of the sample organisation and the sample estate with its federated credentials, one line each (test/fixtures/devops/sample-links.json). */
export const goldenLinks = JSON.parse(readFileSync(new URL("../fixtures/devops/sample-links.json", import.meta.url), "utf8")) as string[];

/** An edge as one readable line: keys shortened to what a reviewer recognises (`*` marks a change source). */
export function line(e: { from: string; to: string; relation: string; changeSource: boolean }, names: Map<string, string>): string {
  const show = (k: string) => names.get(k) ?? k.replace(/^\/subscriptions\/6f1c2a3b[^/]*/, "/sub-prod").replace(/^\/subscriptions\/2a7e9c41[^/]*/, "/sub-corp");
  return `${show(e.from)} -${e.relation}${e.changeSource ? "*" : ""}-> ${show(e.to)}`;
}
