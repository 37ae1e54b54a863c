// The ARM emulator's public surface: start one, read its request log, know its routes and faults.
export { type RouteTemplate, routeTemplates } from "./routes.js";
export { startArmEmulator } from "./server.js";
export {
  type ArmAnswer,
  type ArmEmulator,
  type ArmEmulatorOptions,
  type FaultKind,
  faultKinds,
  type InterceptedRequest,
  type Interception,
  type RequestLogSnapshot,
  type ThrottleSettings,
} from "./types.js";
