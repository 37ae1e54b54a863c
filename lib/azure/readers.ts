import { Agent } from "node:https";
import { createSecureContext } from "node:tls";

import type { Config } from "../config/index.js";
import { createArmCalls } from "./arm-calls.js";
import { ArmHttpReader, DEFAULT_MAX_PAGES } from "./arm-http.js";
import { armScopeOf, defaultAzureCredential, emulatorCredential } from "./credentials.js";

/** Where an ARM emulator listens and the CA its certificate is signed with. */
export interface EmulatorEndpoint {
  url: string;
  ca: string;
}

/** Options of the readers built here. */
export interface ReaderOptions {
  /** Longest nextLink chain one list follows (setting DISCOVERY_MAX_PAGES). @default DEFAULT_MAX_PAGES (1,000) */
  maxPages?: number;
}

/**
 * The reader discovery uses against Azure: DefaultAzureCredential (loaded on first token), the
 * configured ARM endpoint and authority, every call through the resilience composition, lists
 * capped at DISCOVERY_MAX_PAGES pages when the config carries it. Make one per process and keep
 * it: its rate limiters mirror each subscription's ARM bucket.
 */
export function azureReader(
  config: Pick<Config, "ARM_ENDPOINT" | "AZURE_AUTHORITY_HOST"> & Partial<Pick<Config, "DISCOVERY_MAX_PAGES">>,
): ArmHttpReader {
  return new ArmHttpReader({
    credential: defaultAzureCredential(config.AZURE_AUTHORITY_HOST),
    endpoint: config.ARM_ENDPOINT,
    credentialScopes: [armScopeOf(config.ARM_ENDPOINT)],
    agent: new Agent({ keepAlive: true }),
    run: createArmCalls().run,
    maxPages: config.DISCOVERY_MAX_PAGES ?? DEFAULT_MAX_PAGES,
  });
}

/**
 * A keep-alive agent that trusts the emulator's CA, with one TLS context for all its connections:
 * given only `ca`, every new connection built a context of its own and parsed the CA again, a
 * visible part of a run's CPU at the ~160 connections a 5 x 5,000 bench run opens.
 */
export function emulatorAgent(ca: string): Agent {
  return new Agent({ ca, secureContext: createSecureContext({ ca }), keepAlive: true });
}

/** The same reader pointed at the ARM emulator, trusting its CA, with its placeholder token. */
export function emulatorReader(emulator: EmulatorEndpoint, options: ReaderOptions = {}): ArmHttpReader {
  return new ArmHttpReader({
    credential: emulatorCredential,
    endpoint: emulator.url,
    agent: emulatorAgent(emulator.ca),
    run: createArmCalls().run,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
  });
}
