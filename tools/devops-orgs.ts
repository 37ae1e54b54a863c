import type { Config } from "../lib/config/index.js";
import { connectDevOps } from "../lib/devops/auth.js";
import type { Logger } from "../lib/log/index.js";
import { type DevOpsSource, devopsSourceOf } from "../lib/runs/devops-source.js";
import { parseOrganisation } from "./devops-emulator/organisation.js";
import { sampleOrganisationAt } from "./devops-emulator/sample-org.js";
import { type DevOpsEmulator, startDevOpsEmulator } from "./devops-emulator/server.js";

/** What `--devops-org` started: the run service's DevOps source, and the sample's emulator if any. */
export interface DevOpsOrgs {
  /** undefined: no organisation (no flag and DEVOPS_ORGANIZATIONS unset). */
  source: DevOpsSource | undefined;
  /** The in-process emulator serving the sample organisation, when `sample` was asked for. */
  emulator?: DevOpsEmulator;
  close(): Promise<void>;
}

/** The PAT the in-process emulator accepts. */
const EMULATOR_PAT = "emulator-pat";
/** The sample's emulator and its client allow this many requests a minute: a demo need not wait on Azure DevOps' 200. */
const SAMPLE_REQUESTS_PER_MINUTE = 6_000;

/**
 * The organisations `--devops-org` names (URLs, or `sample`: the sample organisation, linked to
 * the sample estate, served by an in-process Azure DevOps emulator with its times moved to now),
 * else DEVOPS_ORGANIZATIONS. Real organisations are reached with DEVOPS_PAT, else
 * DefaultAzureCredential. Close it after the last run.
 */
export async function startDevOpsOrgs(
  flags: readonly string[],
  config: Config,
  log: Logger,
  now: () => number = Date.now,
): Promise<DevOpsOrgs> {
  if (flags.length === 0) return { source: devopsSourceOf(config, log), close: () => Promise.resolve() };
  const urls = flags.filter((f) => f !== "sample");
  const emulator = flags.includes("sample")
    ? await startDevOpsEmulator({
        org: parseOrganisation(sampleOrganisationAt(now())),
        pat: EMULATOR_PAT,
        limit: { perMinute: SAMPLE_REQUESTS_PER_MINUTE },
      })
    : undefined;
  const real = urls.length === 0 ? undefined : devopsSourceOf({ ...config, DEVOPS_ORGANIZATIONS: urls }, log);
  const isEmulated = (orgUrl: string) => emulator !== undefined && orgUrl.replace(/\/+$/, "") === emulator.orgUrl;
  const source: DevOpsSource = {
    organizations: [...(emulator === undefined ? [] : [emulator.orgUrl]), ...urls],
    requestsPerMinute: (orgUrl) => (isEmulated(orgUrl) ? SAMPLE_REQUESTS_PER_MINUTE : config.DEVOPS_REQUESTS_PER_MINUTE),
    windowHours: config.DEVOPS_RUNS_WINDOW_HOURS,
    // A shared bucket is keyed by the organisation's name: the sample's "contoso" must not spend a real contoso's budget.
    ...(emulator === undefined && real?.redis !== undefined && { redis: real.redis }),
    connect: (orgUrl) =>
      isEmulated(orgUrl)
        ? connectDevOps({ orgUrl, auth: { kind: "pat", pat: EMULATOR_PAT }, caFile: emulator!.caCertPath, log })
        : real!.connect(orgUrl),
  };
  return { source, ...(emulator === undefined ? {} : { emulator }), close: async () => void (await emulator?.close()) };
}
