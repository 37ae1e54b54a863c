/** An ARM answer before serialization: status and JSON body. */
export interface ArmResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The body shape every ARM error has. */
export function armError(status: number, code: string, message: string, headers?: Record<string, string>): ArmResponse {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/** ARM's wording for the errors the emulator answers. */
export const armErrors = {
  missingToken: () => armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
  badToken: () =>
    armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is provided in an invalid format."),
  missingApiVersion: () =>
    armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
  invalidApiVersion: (apiVersion: string) =>
    armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${apiVersion}' is invalid. The supported versions are 'yyyy-MM-dd' dates, optionally followed by '-preview'.`,
    ),
  subscriptionNotFound: (subscriptionId: string) =>
    armError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`),
  resourceGroupNotFound: (resourceGroup: string) =>
    armError(404, "ResourceGroupNotFound", `Resource group '${resourceGroup}' could not be found.`),
  resourceNotFound: (typeAndName: string, resourceGroup: string | undefined) =>
    armError(
      404,
      "ResourceNotFound",
      `The Resource '${typeAndName}' under resource group '${resourceGroup ?? ""}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  parentResourceNotFound: (parent: string) =>
    armError(
      404,
      "ParentResourceNotFound",
      `Can not perform requested operation on nested resource. Parent resource '${parent}' not found.`,
    ),
  invalidNamespace: (namespace: string) => armError(400, "InvalidResourceNamespace", `The resource namespace '${namespace}' is invalid.`),
  invalidResourceType: (resourceType: string, namespace: string, apiVersion: string) =>
    armError(
      400,
      "InvalidResourceType",
      `The resource type '${resourceType}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
    ),
  noRegisteredProvider: (
    location: string,
    apiVersion: string,
    resourceType: string,
    supported: readonly string[],
    locations: readonly string[],
  ) =>
    armError(
      400,
      "NoRegisteredProviderFound",
      `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${resourceType}'. The supported api-versions are '${supported.join(", ")}'. The supported locations are '${locations.join(", ")}'.`,
    ),
  invalidFilter: (filter: string) =>
    armError(400, "InvalidFilterInQueryString", `Invalid $filter '${filter}' specified in the query string.`),
  invalidQueryValue: (name: string, value: string) =>
    armError(400, "InvalidQueryParameterValue", `Invalid value '${value}' for query parameter '${name}'.`),
  invalidSkipToken: (token: string) => armError(400, "InvalidSkipToken", `The skip token '${token}' is invalid.`),
  pathNotFound: (path: string) => armError(404, "NotFound", `The requested path '${path}' does not exist.`),
  subscriptionThrottled: (subscriptionId: string, actor: string, retryAfterSeconds: number) =>
    armError(
      429,
      "SubscriptionRequestsThrottled",
      `Number of 'read' requests for subscription '${subscriptionId}' actor '${actor}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
      { "retry-after": String(retryAfterSeconds) },
    ),
  tenantThrottled: (tenantId: string, actor: string, retryAfterSeconds: number) =>
    armError(
      429,
      "TenantRequestsThrottled",
      `Number of 'read' requests for tenant '${tenantId}' actor '${actor}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
      { "retry-after": String(retryAfterSeconds) },
    ),
  tooManyRequests: () => armError(429, "TooManyRequests", "The request is being throttled. Please try again later."),
  internalError: (requestId: string) =>
    armError(
      500,
      "InternalServerError",
      `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${requestId}'.`,
    ),
  unavailable: () => armError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please try again later."),
  methodNotAllowed: (method: string) => armError(405, "MethodNotAllowed", `The emulator serves reads only; '${method}' is not supported.`),
};
