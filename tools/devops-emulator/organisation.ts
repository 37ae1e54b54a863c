import { readFile } from "node:fs/promises";

import { z } from "zod";

// The organisation file served by the Azure DevOps emulator (docs/interfaces.md). Every object is
// kept in the REST shape Azure DevOps returns (the 7.2 specs' schemas); only the envelope fields
// the emulator routes on are checked, everything else passes through untouched.

const named = { id: z.string().min(1), name: z.string().min(1) };

/** A Git repository (GitRepository); `url`, `project` and `remoteUrl` are filled in when served. */
export const repositorySchema = z.looseObject({ ...named, defaultBranch: z.string().optional() });

/** A build definition (BuildDefinition): YAML when `process.type` is 2 (with `yamlFilename`), classic otherwise. */
export const buildDefinitionSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().min(1),
  path: z.string().default("\\"),
  process: z.looseObject({ type: z.number().int(), yamlFilename: z.string().optional() }),
  repository: z.looseObject({ id: z.string(), name: z.string().optional(), type: z.string() }),
});

/** A build (Build): a run of a build definition. */
export const buildSchema = z.looseObject({
  id: z.number().int(),
  definition: z.looseObject({ id: z.number().int(), name: z.string().optional() }),
  queueTime: z.string(),
  startTime: z.string().optional(),
  finishTime: z.string().optional(),
});

/** A release definition (ReleaseDefinition) with its stages in `environments`. */
export const releaseDefinitionSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().min(1),
  environments: z.array(z.looseObject({ id: z.number().int(), name: z.string() })).default([]),
});

/** A release deployment (Deployment). */
export const deploymentSchema = z.looseObject({
  id: z.number().int(),
  releaseDefinition: z.looseObject({ id: z.number().int() }),
  startedOn: z.string(),
});

/** An environment resource: a KubernetesResource or a VirtualMachineResource (both EnvironmentResource). */
export const environmentResourceSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().min(1),
  type: z.enum(["kubernetes", "virtualMachine", "generic"]),
});

/** An environment (EnvironmentInstance) plus its resources and deployment records (EnvironmentDeploymentExecutionRecord). */
export const environmentSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().min(1),
  resources: z.array(environmentResourceSchema).default([]),
  deploymentRecords: z.array(z.looseObject({ id: z.number().int(), startTime: z.string().optional() })).default([]),
});

/** A service connection (ServiceEndpoint) plus its execution history (ServiceEndpointExecutionData). */
export const serviceEndpointSchema = z.looseObject({
  ...named,
  type: z.string(),
  serviceEndpointProjectReferences: z
    .array(z.looseObject({ projectReference: z.looseObject({ id: z.string(), name: z.string().optional() }) }))
    .min(1),
  executionHistory: z.array(z.looseObject({ id: z.number().int(), startTime: z.string().optional() })).default([]),
});

/** A project (TeamProjectReference) and everything in it. */
export const projectSchema = z.looseObject({
  ...named,
  description: z.string().optional(),
  state: z.string().default("wellFormed"),
  repositories: z.array(repositorySchema).default([]),
  buildDefinitions: z.array(buildDefinitionSchema).default([]),
  builds: z.array(buildSchema).default([]),
  releaseDefinitions: z.array(releaseDefinitionSchema).default([]),
  deployments: z.array(deploymentSchema).default([]),
  environments: z.array(environmentSchema).default([]),
});

/** The organisation file. */
export const organisationSchema = z.object({
  /** The organisation's name: the first path segment of its URL. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, "must be an organisation name (letters, digits, hyphens)"),
  projects: z.array(projectSchema).min(1),
  /** Service connections; each is listed in the projects its `serviceEndpointProjectReferences` name. */
  serviceEndpoints: z.array(serviceEndpointSchema).default([]),
});

export type Organisation = z.infer<typeof organisationSchema>;
export type OrganisationInput = z.input<typeof organisationSchema>;
export type Project = z.infer<typeof projectSchema>;
export type ServiceEndpoint = z.infer<typeof serviceEndpointSchema>;

/** The organisation file is not valid JSON or breaks the schema; the message names the JSON path. */
export class OrganisationFileError extends Error {
  override readonly name = "OrganisationFileError";
  readonly code = "ORGANISATION_FILE_INVALID";
}

/** Validates an organisation object. @throws OrganisationFileError naming the first bad path. */
export function parseOrganisation(value: unknown): Organisation {
  const parsed = organisationSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new OrganisationFileError(`${(issue?.path ?? []).join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
}

/** Reads and validates an organisation file. @throws OrganisationFileError */
export async function loadOrganisationFile(path: string): Promise<Organisation> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new OrganisationFileError(`${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseOrganisation(value);
}
