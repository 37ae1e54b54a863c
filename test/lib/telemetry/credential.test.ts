// Telemetry reaches an Application Insights that accepts only Entra auth: the exporter must ask
// the credential for a token and send it as a bearer to the ingestion endpoint (here a local
// HTTPS server named by the connection string's IngestionEndpoint).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { telemetryClientId } from "../../../lib/telemetry/credential.js";
import { createCertificates } from "../../../tools/arm-emulator/certificates.js";

const script = fileURLToPath(new URL("./support/exporter-credential.ts", import.meta.url));

describe("telemetry with the app's managed identity", () => {
  it("the exporter calls the credential and sends its token as a bearer to the ingestion endpoint", async () => {
    const certs = await createCertificates();
    const dir = mkdtempSync(join(tmpdir(), "topdeck-ai-"));
    writeFileSync(join(dir, "ca.pem"), certs.ca);
    const seen: Array<{ method: string; path: string; authorization: string | undefined }> = [];
    const server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
      seen.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
      req.resume();
      req.on("end", () =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const url = `https://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    try {
      const { code, out, err } = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", script, url], {
          env: {
            ...process.env,
            NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"),
            APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: "true",
            APPLICATIONINSIGHTS_CONNECTION_STRING: "",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("close", (c) => resolve({ code: c, out, err }));
      });
      expect(code, err.slice(-2_000)).toBe(0);
      const { tokens } = JSON.parse(out.trim().split("\n").at(-1)!) as { tokens: number };
      expect(tokens).toBeGreaterThan(0);
      const track = seen.filter((r) => r.method === "POST" && r.path.includes("/track"));
      expect(track.length, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(track.every((r) => r.authorization === "Bearer fake-entra-token")).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);

  it("picks the identity from the host's authentication string, else AZURE_CLIENT_ID", () => {
    expect(telemetryClientId({ APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "ClientId=abc;Authorization=AAD", AZURE_CLIENT_ID: "def" })).toBe(
      "abc",
    );
    expect(telemetryClientId({ AZURE_CLIENT_ID: "def" })).toBe("def");
    expect(telemetryClientId({})).toBeUndefined();
  });
});
