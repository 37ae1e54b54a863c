import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { writePrivateFile } from "../../tools/private-file.js";

describe("writePrivateFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "topdeck-private-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the file with mode 0600", async () => {
    const path = join(dir, "new.json");
    await writePrivateFile(path, "{}\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, "utf8")).toBe("{}\n");
  });

  it("makes an existing world-readable file 0600 and replaces its content", async () => {
    const path = join(dir, "old.json");
    await writeFile(path, "a much longer previous content\n");
    await chmod(path, 0o644);
    await writePrivateFile(path, "{}\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, "utf8")).toBe("{}\n");
  });
});
