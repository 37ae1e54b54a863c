export { sanitisePayload } from "./sanitise-payload.js";
export { foldName, isSecretName, isSecretQueryName } from "./secret-names.js";
export { isMarker, redactionMarker, sanitiseText, type SecretKind } from "./secret-text.js";
