import { open } from "node:fs/promises";

/**
 * Writes `text` to `path`, readable and writable by the owner only (mode 0600): an export holds
 * the estate's shape, hostnames and whatever a pattern could not recognise as a secret. The mode of
 * `open` applies only to a file it creates, so an existing file is chmod-ed before anything is
 * written into it.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const file = await open(path, "w", 0o600);
  try {
    await file.chmod(0o600);
    await file.writeFile(text, "utf8");
  } finally {
    await file.close();
  }
}
