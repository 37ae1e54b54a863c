// The resource areas and API locations the emulator advertises. azure-devops-node-api finds every
// route this way: GET _apis/resourceAreas (area id -> base URL), then OPTIONS _apis/{area} (location
// id -> route template and versions), then the request itself. Ids are the client's own.

/** One ApiResourceLocation, as OPTIONS _apis/{area} answers it. */
export interface ApiLocation {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
}

/** Resource areas: id -> name, as GET _apis/resourceAreas lists them. */
export const resourceAreas: readonly { id: string; name: string }[] = [
  { id: "79134c72-4a58-4b42-976c-04e7115f32bf", name: "core" },
  { id: "4e080c62-fa21-4fbc-8fef-2a10a2b38049", name: "git" },
  { id: "965220d5-5bb9-42cf-8d67-9b146df2a5a4", name: "build" },
  { id: "efc2f575-36ef-48e9-b672-0c6fb4a48ac5", name: "Release" },
  { id: "a85b8835-c1a1-4aac-ae97-1c3d0ba72dbd", name: "distributedtask" },
  { id: "1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7", name: "serviceendpoint" },
];

/** Every location the emulator serves. */
export const apiLocations: readonly ApiLocation[] = [
  {
    id: "e81700f7-3be2-46de-8624-2eb35882fcaa",
    area: "Location",
    resourceName: "ResourceAreas",
    routeTemplate: "_apis/{resource}/{areaId}",
    resourceVersion: 1,
  },
  {
    id: "603fe2ac-9723-48b9-88ad-09305aa6c6e1",
    area: "core",
    resourceName: "projects",
    routeTemplate: "_apis/{resource}/{*projectId}",
    resourceVersion: 4,
  },
  {
    id: "225f7195-f9c7-4d14-ab28-a83f7ff77e1f",
    area: "git",
    resourceName: "repositories",
    routeTemplate: "{project}/_apis/{area}/{resource}/{repositoryId}",
    resourceVersion: 2,
  },
  {
    id: "dbeaf647-6167-421a-bda9-c9327b25e2e6",
    area: "build",
    resourceName: "definitions",
    routeTemplate: "{project}/_apis/{area}/{resource}/{definitionId}",
    resourceVersion: 7,
  },
  {
    id: "0cd358e1-9217-4d94-8269-1c1ee6f93dcf",
    area: "build",
    resourceName: "builds",
    routeTemplate: "{project}/_apis/{area}/{resource}/{buildId}",
    resourceVersion: 7,
  },
  {
    id: "d8f96f24-8ea7-4cb6-baab-2df8fc515665",
    area: "Release",
    resourceName: "definitions",
    routeTemplate: "{project}/_apis/{area}/{resource}/{definitionId}",
    resourceVersion: 4,
  },
  {
    id: "b005ef73-cddc-448e-9ba2-5193bf36b19f",
    area: "Release",
    resourceName: "deployments",
    routeTemplate: "{project}/_apis/{area}/{resource}",
    resourceVersion: 2,
  },
  {
    id: "8572b1fc-2482-47fa-8f74-7e3ed53ee54b",
    area: "distributedtask",
    resourceName: "environments",
    routeTemplate: "{project}/_apis/pipelines/{resource}/{environmentId}",
    resourceVersion: 1,
  },
  {
    id: "73fba52f-15ab-42b3-a538-ce67a9223a04",
    area: "distributedtask",
    resourceName: "kubernetes",
    routeTemplate: "{project}/_apis/pipelines/environments/{environmentId}/providers/{resource}/{resourceId}",
    resourceVersion: 1,
  },
  {
    id: "51bb5d21-4305-4ea6-9dbb-b7488af73334",
    area: "distributedtask",
    resourceName: "environmentdeploymentrecords",
    routeTemplate: "{project}/_apis/pipelines/environments/{environmentId}/{resource}",
    resourceVersion: 1,
  },
  {
    id: "e85f1c62-adfc-4b74-b618-11a150fb195e",
    area: "serviceendpoint",
    resourceName: "endpoints",
    routeTemplate: "{project}/_apis/{area}/{resource}/{endpointId}",
    resourceVersion: 4,
  },
  {
    id: "10a16738-9299-4cd1-9a81-fd23ad6200d0",
    area: "serviceendpoint",
    resourceName: "executionhistory",
    routeTemplate: "{project}/_apis/{area}/{endpointId}/{resource}",
    resourceVersion: 1,
  },
];

/** The OPTIONS answer for one area (case-insensitive), or undefined for an unknown area. */
export function locationsOf(area: string): { count: number; value: object[] } | undefined {
  const wanted = area.toLowerCase();
  const value = apiLocations
    .filter((l) => l.area.toLowerCase() === wanted)
    .map((l) => ({ ...l, minVersion: "1.0", maxVersion: "7.2", releasedVersion: "7.1" }));
  return value.length === 0 ? undefined : { count: value.length, value };
}

/** Newest api-version the emulator accepts (major.minor). */
export const MAX_API_VERSION = 7.2;
/** Oldest api-version the emulator accepts. */
export const MIN_API_VERSION = 5.0;

/**
 * Checks an api-version (`7.2-preview.4`, `7.1`). @returns undefined when accepted, else the
 * message Azure DevOps would give.
 */
export function checkApiVersion(version: string | undefined): string | undefined {
  if (version === undefined) return "No api-version was supplied for the request.";
  const m = /^(\d+\.\d+)(-preview(\.\d+)?)?$/.exec(version);
  if (!m) return `The api-version '${version}' is not in a valid format.`;
  const n = Number(m[1]);
  if (n > MAX_API_VERSION || n < MIN_API_VERSION) {
    return `The requested REST API version of ${version} is out of range for this server. The latest REST API version this server supports is ${MAX_API_VERSION}.`;
  }
  if (n === MAX_API_VERSION && m[2] === undefined) {
    return `The requested version "${version}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests.`;
  }
  return undefined;
}
