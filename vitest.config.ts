import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start their own redis-server, bridge and emulator on free ports.
    fileParallelism: true,
  },
});
