/**
 * The `retryOptions` to give every Azure SDK client whose calls go through an
 * {@link OutboundPolicy}: the SDK pipeline then sends exactly one HTTP request per call, and our
 * policy is the only layer that retries. Left at its default, core-rest-pipeline retries up to 3
 * more times inside each call, which multiplies with our attempts and sends requests that never
 * took a rate-limit token.
 *
 * @example new ResourceManagementClient(credential, subscriptionId, { retryOptions: azureSdkRetryOptions })
 */
export const azureSdkRetryOptions: { readonly maxRetries: 0 } = Object.freeze({ maxRetries: 0 });
