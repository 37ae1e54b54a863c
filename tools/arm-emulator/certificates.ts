import { generate } from "selfsigned";

/** A CA and a server certificate it signed, all PEM. */
export interface EmulatorCertificates {
  /** The CA certificate clients trust. */
  ca: string;
  /** The server's private key. */
  key: string;
  /** The server certificate, valid for 127.0.0.1, ::1 and localhost. */
  cert: string;
}

/** Makes a fresh CA and a server certificate for the loopback addresses (EC P-256, SHA-256, 30 days). */
export async function createCertificates(now = new Date()): Promise<EmulatorCertificates> {
  const notBeforeDate = new Date(now.getTime() - 60_000);
  const notAfterDate = new Date(now.getTime() + 30 * 24 * 3600_000);
  const common = { keyType: "ec", algorithm: "sha256", notBeforeDate, notAfterDate } as const;
  const ca = await generate([{ name: "commonName", value: "TopDeck ARM emulator CA" }], {
    ...common,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { ca: ca.cert, key: server.private, cert: server.cert };
}
