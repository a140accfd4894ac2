import path from "node:path";
import { defineConfig } from "vitest/config";

// Read by tests/support/paths.ts in this process and in every worker it starts.
process.env.TEST_RUN_ID ??= `run-${process.pid}`;

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(__dirname, "app"),
      "#db": path.resolve(__dirname, "db"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/fresh-database.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
