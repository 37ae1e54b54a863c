import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createArmCalls } from "../../../lib/azure/arm-calls.js";
import { ArmHttpReader } from "../../../lib/azure/arm-http.js";
import { ArmRequestError } from "../../../lib/azure/arm-reader.js";
import { emulatorCredential } from "../../../lib/azure/credentials.js";
import { createCertificates } from "../../../tools/arm-emulator/certificates.js";

// Pages read from the stream (lib/azure/page-body.ts) through the real client pipeline, against a
// server that answers as ARM can and as a failing network does: gzip, small writes, a body cut by a
// reset, a body that stalls half-way.

const sub = "00000000-0000-0000-0000-000000000001";
const resource = (i: number) => ({
  id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-${i}`,
  name: `vnet-${i}`,
  type: "Microsoft.Network/virtualNetworks",
  location: "westeurope",
  properties: { note: `quote " backslash \\ and ünïcödé ${i}`, addressSpace: { addressPrefixes: [`10.${i}.0.0/16`] } },
});

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

let server: Server;
let url: string;
let agent: Agent;
let handler: Handler = () => undefined;
let attempts = 0;

beforeAll(async () => {
  const certificates = await createCertificates();
  server = createServer({ key: certificates.key, cert: certificates.cert }, (req, res) => handler(req, res, ++attempts));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = new Agent({ ca: certificates.ca, keepAlive: true });
});

afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  server.close();
  await once(server, "close");
});

/** Writes `bytes` in pieces of `size`, one per event-loop turn, so the client reads many chunks. */
async function writeInPieces(res: ServerResponse, bytes: Buffer, size: number, stopAt = bytes.length): Promise<void> {
  for (let at = 0; at < stopAt; at += size) {
    res.write(bytes.subarray(at, Math.min(at + size, stopAt)));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A page of `n` resources, as bytes. */
const pageOf = (n: number) => Buffer.from(JSON.stringify({ value: Array.from({ length: n }, (_v, i) => resource(i)) }));

/** A reader of the test server: each call sent once, or retried as `retry` says, with short backoff. */
function readerOf(retry?: { maxAttempts: number; attemptTimeoutMs: number }): ArmHttpReader {
  const run = retry && createArmCalls({ ...retry, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 10_000 }).run;
  return new ArmHttpReader({ credential: emulatorCredential, endpoint: url, agent, ...(run && { run }) });
}

async function listAll(reader: ArmHttpReader): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const page of reader.listByType(sub, "Microsoft.Network/virtualNetworks", "2024-05-01")) out.push(...page);
  return out;
}

describe("pages read from the response stream", () => {
  it("reads gzip-encoded pages written in small pieces, following nextLink", async () => {
    const pages = [Array.from({ length: 40 }, (_v, i) => resource(i)), Array.from({ length: 7 }, (_v, i) => resource(40 + i))];
    attempts = 0;
    const accepted: unknown[] = [];
    handler = (req, res) => {
      const second = (req.url ?? "").includes("page=2");
      const body = { value: pages[second ? 1 : 0], ...(second ? {} : { nextLink: `${url}/subscriptions/${sub}/providers/x?page=2` }) };
      accepted.push(req.headers["accept-encoding"]);
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      void writeInPieces(res, gzipSync(JSON.stringify(body)), 97).then(() => res.end());
    };
    expect(await listAll(readerOf())).toEqual([...pages[0]!, ...pages[1]!]);
    expect(accepted).toEqual([expect.stringMatching(/gzip/), expect.stringMatching(/gzip/)]);
  });

  it("reports a page cut by a reset as a failed request, and a retry reads it whole", async () => {
    const body = pageOf(30);
    attempts = 0;
    handler = (_req, res, attempt) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
      if (attempt > 1) return void writeInPieces(res, body, 500).then(() => res.end());
      void writeInPieces(res, body, 500, body.length / 2).then(() => res.socket?.destroy());
    };
    const error = await listAll(readerOf()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArmRequestError);
    expect((error as ArmRequestError).status).toBe(0);

    attempts = 0;
    expect(await listAll(readerOf({ maxAttempts: 3, attemptTimeoutMs: 5_000 }))).toHaveLength(30);
    expect(attempts).toBe(2);
  });

  it("gives up on a page that stalls half-way when the attempt times out, and retries it", async () => {
    const body = pageOf(30);
    attempts = 0;
    let stalledClosed: Promise<unknown> = Promise.resolve();
    handler = (_req, res, attempt) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
      if (attempt > 1) return void writeInPieces(res, body, 500).then(() => res.end());
      stalledClosed = once(res, "close");
      void writeInPieces(res, body, 500, body.length / 2); // then nothing more, until the client gives up
    };
    expect(await listAll(readerOf({ maxAttempts: 3, attemptTimeoutMs: 300 }))).toHaveLength(30);
    expect(attempts).toBe(2);
    // The abandoned attempt's connection is closed by the client, not left holding the half page.
    await stalledClosed;
  });

  it("retries a page whose body is not JSON as a 502, and says so when it never is", async () => {
    attempts = 0;
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"value":[{"id":"a"},{"id":');
    };
    const error = (await listAll(readerOf({ maxAttempts: 2, attemptTimeoutMs: 5_000 })).catch((e: unknown) => e)) as ArmRequestError;
    expect(error).toBeInstanceOf(ArmRequestError);
    expect([error.armCode, error.status, error.attempts]).toEqual(["MalformedResponse", 502, 2]);
  });
});
