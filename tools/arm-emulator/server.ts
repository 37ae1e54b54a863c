import { setMaxListeners } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Estate } from "../estates/schema.js";
import { armErrors } from "./arm-errors.js";
import { createCertificates } from "./certificates.js";
import { EstateIndex } from "./estate-index.js";
import { createFaultDrawer } from "./faults.js";
import { createRequestHandler } from "./request-handler.js";
import { RequestLog } from "./request-log.js";
import { resolveSettings } from "./settings.js";
import { ReadThrottle } from "./throttle.js";
import type { ArmEmulator, ArmEmulatorOptions } from "./types.js";

/**
 * Starts an HTTPS server on 127.0.0.1 that answers ARM read routes from an estate, with ARM's
 * throttling, paging and errors, plus optional latency and seeded faults. The CA that signed its
 * certificate is made at start and written to a temp file.
 * @throws RangeError for a bad option; the listen error when the port is taken.
 */
export async function startArmEmulator(options: ArmEmulatorOptions): Promise<ArmEmulator> {
  const settings = resolveSettings(options);
  const certificates = await createCertificates();
  const dir = await mkdtemp(join(tmpdir(), "topdeck-arm-emulator-"));
  const caCertPath = join(dir, "ca.pem");
  await writeFile(caCertPath, certificates.ca);

  let index = new EstateIndex(options.estate);
  const log = new RequestLog();
  const stalled = new Set<ServerResponse>();
  const closing = new AbortController();
  // Every in-flight request's latency wait listens to this one signal: many at once is expected.
  setMaxListeners(0, closing.signal);
  let origin = "https://127.0.0.1";
  const handle = createRequestHandler({
    origin: () => origin,
    index: () => index,
    log,
    throttle: new ReadThrottle(settings.throttle, settings.now),
    drawFault: createFaultDrawer({ rate: settings.faultRate, seed: settings.seed, kinds: settings.faults }),
    latencyMs: settings.latencyMs,
    pageSize: settings.pageSize,
    stalled,
    closing: closing.signal,
    ...(options.intercept === undefined ? {} : { intercept: options.intercept }),
  });

  const server = createServer({ key: certificates.key, cert: certificates.cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const answer = armErrors.internalError(`emulator failure: ${(error as Error).message}`);
      res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(answer.body));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(settings.port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closed: Promise<void> | undefined;
  return {
    url: origin,
    caCertPath,
    ca: certificates.ca,
    requestLog: () => log.read(),
    resetLog: () => log.reset(),
    setEstate: (estate: Estate) => {
      index = new EstateIndex(estate);
    },
    close: () =>
      (closed ??= (async () => {
        closing.abort();
        for (const res of stalled) res.destroy();
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
