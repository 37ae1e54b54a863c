import type { TokenCredential } from "@azure/core-auth";

/**
 * DefaultAzureCredential (managed identity in Azure, Azure CLI locally), loaded on first use so
 * that a start that never calls Azure does not pay for @azure/identity.
 */
export function defaultAzureCredential(authorityHost: string): TokenCredential {
  let inner: Promise<TokenCredential> | undefined;
  const load = async (): Promise<TokenCredential> => {
    const { DefaultAzureCredential } = await import("@azure/identity");
    return new DefaultAzureCredential({ authorityHost });
  };
  return {
    getToken: async (scopes, options) => {
      inner ??= load();
      return (await inner).getToken(scopes, options);
    },
  };
}

/** The token audience of an ARM endpoint: its origin with `/.default`. */
export function armScopeOf(endpoint: string): string {
  return `${new URL(endpoint).origin}/.default`;
}

/** A credential for the ARM emulator, which checks only that a bearer token is present. */
export const emulatorCredential: TokenCredential = {
  getToken: async () => ({ token: "topdeck-emulator", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
