import type { DevOpsList } from "./calls.js";

// The lists discovery reads, with the location ids and api-versions azure-devops-node-api's typed
// methods use (CoreApi.getProjects, GitApi.getRepositories, BuildApi.getDefinitions/getBuilds,
// ReleaseApi.getReleaseDefinitions/getDeployments, TaskAgentApi environments,
// ServiceEndpointApi endpoints/execution history). Read through the client's vsoClient so that the
// `x-ms-continuationtoken` header, which the typed methods drop, is seen.

export const lists = {
  projects: (): DevOpsList => ({
    area: "core",
    locationId: "603fe2ac-9723-48b9-88ad-09305aa6c6e1",
    apiVersion: "7.2-preview.4",
    routeValues: {},
  }),
  repositories: (project: string): DevOpsList => ({
    area: "git",
    locationId: "225f7195-f9c7-4d14-ab28-a83f7ff77e1f",
    apiVersion: "7.2-preview.2",
    routeValues: { project },
  }),
  buildDefinitions: (project: string): DevOpsList => ({
    area: "build",
    locationId: "dbeaf647-6167-421a-bda9-c9327b25e2e6",
    apiVersion: "7.2-preview.7",
    routeValues: { project },
    query: { includeAllProperties: true },
  }),
  builds: (project: string, minTime: string): DevOpsList => ({
    area: "build",
    locationId: "0cd358e1-9217-4d94-8269-1c1ee6f93dcf",
    apiVersion: "7.2-preview.7",
    routeValues: { project },
    query: { minTime },
  }),
  releaseDefinitions: (project: string): DevOpsList => ({
    area: "Release",
    locationId: "d8f96f24-8ea7-4cb6-baab-2df8fc515665",
    apiVersion: "7.2-preview.4",
    routeValues: { project },
    query: { $expand: "environments" },
  }),
  deployments: (project: string, minStartedTime: string): DevOpsList => ({
    area: "Release",
    locationId: "b005ef73-cddc-448e-9ba2-5193bf36b19f",
    apiVersion: "7.2-preview.2",
    routeValues: { project },
    query: { minStartedTime },
  }),
  environments: (project: string): DevOpsList => ({
    area: "distributedtask",
    locationId: "8572b1fc-2482-47fa-8f74-7e3ed53ee54b",
    apiVersion: "7.2-preview.1",
    routeValues: { project },
  }),
  environment: (project: string, environmentId: number): DevOpsList => ({
    area: "distributedtask",
    locationId: "8572b1fc-2482-47fa-8f74-7e3ed53ee54b",
    apiVersion: "7.2-preview.1",
    routeValues: { project, environmentId },
    query: { expands: "resourceReferences" },
  }),
  kubernetesResource: (project: string, environmentId: number, resourceId: number): DevOpsList => ({
    area: "distributedtask",
    locationId: "73fba52f-15ab-42b3-a538-ce67a9223a04",
    apiVersion: "7.2-preview.1",
    routeValues: { project, environmentId, resourceId },
  }),
  deploymentRecords: (project: string, environmentId: number): DevOpsList => ({
    area: "distributedtask",
    locationId: "51bb5d21-4305-4ea6-9dbb-b7488af73334",
    apiVersion: "7.2-preview.1",
    routeValues: { project, environmentId },
  }),
  serviceEndpoints: (project: string): DevOpsList => ({
    area: "serviceendpoint",
    locationId: "e85f1c62-adfc-4b74-b618-11a150fb195e",
    apiVersion: "7.2-preview.4",
    routeValues: { project },
  }),
  executionHistory: (project: string, endpointId: string): DevOpsList => ({
    area: "serviceendpoint",
    locationId: "10a16738-9299-4cd1-9a81-fd23ad6200d0",
    apiVersion: "7.2-preview.1",
    routeValues: { project, endpointId },
  }),
};
