import pLimit from "p-limit";

import { sanitisePayload } from "../security/index.js";
import type { ExportResource, RunError } from "../topology/export-format.js";
import { type ArmReader, type CallStats, isArmRequestError } from "./arm-reader.js";
import { isRejected, normalizeResource } from "./normalize.js";
import { runError } from "./type-reads.js";

/** The ARM type of a user-assigned identity's federated identity credentials. */
export const FEDERATED_CREDENTIAL_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
const IDENTITY_TYPE = "microsoft.managedidentity/userassignedidentities";

/** Options of {@link readFederatedCredentials}. */
export interface FederatedCredentialReads {
  reader: ArmReader;
  subscriptionId: string;
  /** The subscription's resources read so far: its user-assigned identities are the parents. */
  resources: readonly ExportResource[];
  /** The identities' api-version (the credentials are served at their parent's). */
  apiVersion: string;
  /** The previous snapshot's credentials, carried forward (stale) for an identity whose list fails. */
  previous: readonly ExportResource[];
  stats: CallStats;
  concurrency: number;
  signal: AbortSignal;
}

/**
 * The federated identity credentials of every user-assigned identity: one
 * `GET {identity}/federatedIdentityCredentials` list each (ARM's generic list never names them: they are
 * proxy resources without a location). A list
 * that fails is recorded and that identity's previous credentials are carried forward, stale; an
 * identity deleted in between (404), or a cloud without the type (400 InvalidResourceType), has none.
 */
export async function readFederatedCredentials(
  input: FederatedCredentialReads,
): Promise<{ resources: ExportResource[]; errors: RunError[] }> {
  const list = input.reader.listChildren?.bind(input.reader);
  if (list === undefined) return { resources: [], errors: [] };
  const identities = input.resources.filter((r) => r.type.toLowerCase() === IDENTITY_TYPE);
  const limit = pLimit(input.concurrency);
  const resources: ExportResource[] = [];
  const errors: RunError[] = [];
  await Promise.all(
    identities.map((identity) =>
      limit(async () => {
        try {
          for await (const page of list(identity.id, "federatedIdentityCredentials", input.apiVersion, input.stats, input.signal)) {
            for (const raw of page) {
              const r = normalizeResource(raw);
              if (!isRejected(r)) resources.push(r);
            }
          }
        } catch (error) {
          if (input.signal.aborted) return;
          // 404: the identity was deleted in between. 400 InvalidResourceType: the cloud does not
          // serve federated credentials (an identity there has none).
          if (isArmRequestError(error) && (error.status === 404 || (error.status === 400 && error.armCode === "InvalidResourceType")))
            return;
          errors.push(runError(input.subscriptionId, FEDERATED_CREDENTIAL_TYPE, error));
          const prefix = `${identity.key}/federatedidentitycredentials/`;
          for (const r of input.previous) if (r.key.startsWith(prefix)) resources.push(sanitisePayload({ ...r, stale: true }));
        }
      }),
    ),
  );
  return { resources, errors };
}
