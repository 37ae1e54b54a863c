import type { EstateIndex } from "../estate-index.js";

/** What every route handler reads: the estate, the request URL and the paging setting. */
export interface HandlerContext {
  index: EstateIndex;
  /** Emulator origin + normalized path + original query. */
  url: URL;
  /** The decoded, normalized request path: what ids are matched against. */
  path: string;
  apiVersion: string;
  pageSize: number;
}

/** The tenant every emulated subscription belongs to. */
export const emulatorTenantId = "72f988bf-0000-4000-8000-00000000e3a1";
