// The real azure-devops-node-api client pointed at the Azure DevOps emulator.
import { readFileSync } from "node:fs";

import { getBearerHandler, getPersonalAccessTokenHandler, WebApi } from "azure-devops-node-api";

import { parseOrganisation } from "../../tools/devops-emulator/organisation.js";
import { sampleOrganisation } from "../../tools/devops-emulator/sample-org.js";
import type { Estate } from "../../tools/estates/schema.js";

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
  const show = (k: string) =>
    names.get(k) ?? k.replace(/^\/subscriptions\/6f1c2a3b[^/]*/, "/sub-prod").replace(/^\/subscriptions\/2a7e9c41[^/]*/, "/sub-corp");
  return `${show(e.from)} -${e.relation}${e.changeSource ? "*" : ""}-> ${show(e.to)}`;
}

/** The sample web app's key: the resource web-deploy's run 311 deploys through sc-web-prod. */
export const SAMPLE_WEB_APP_KEY =
  "/subscriptions/6f1c2a3b-8d4e-4f5a-9b6c-7d8e9f0a1b2c/resourcegroups/rg-web-prod/providers/microsoft.web/sites/app-web-prod-weu";

/** The estate with the web app changed (what a deployment does): one more tag. */
export function deployed(estate: Estate): Estate {
  return {
    ...estate,
    subscriptions: estate.subscriptions.map((s) => ({
      ...s,
      resources: s.resources.map((r) =>
        r.id.toLowerCase() === SAMPLE_WEB_APP_KEY ? { ...r, tags: { ...r.tags, release: "20261203.1" } } : r,
      ),
    })),
  };
}

/** The sample organisation before web-deploy's run 311: no build 311, no use of sc-web-prod. */
export function beforeRun311() {
  const org = sampleOrg();
  return parseOrganisation({
    ...org,
    projects: org.projects.map((p) => ({ ...p, builds: (p.builds ?? []).filter((b) => b.id !== 311) })),
    serviceEndpoints: org.serviceEndpoints.map((e) => (e.name === "sc-web-prod" ? { ...e, executionHistory: [] } : e)),
  });
}
