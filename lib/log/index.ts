import { getConfig } from "../config/index.js";
import { createLogger, type Logger } from "./logger.js";
import { registerSecret } from "./redact.js";

export { correlationIdFrom, currentCorrelationId, currentScope, type InvocationLogSink, type LogScope, withLogScope } from "./context.js";
export { createLogger, type Logger, type LoggerOptions, type LogLevel, type LogRecord } from "./logger.js";
export { redact, redactText, registerSecret } from "./redact.js";

let appLogger: Logger | undefined;

/** The app's logger, at the configured level, with the configured secrets registered for masking. */
export function getLogger(): Logger {
  if (appLogger === undefined) {
    const config = getConfig();
    registerSecret(config.UPSTASH_REDIS_REST_TOKEN);
    appLogger = createLogger({ level: config.TOPDECK_LOG_LEVEL });
  }
  return appLogger;
}
