import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./scripts/chromium.mjs";

const port = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://localhost:${port}`;

/**
 * End-to-end tests drive a real Chromium against the built app, served with its own fresh database
 * (tmp/e2e). `npm test` builds first; run `npm run build` before `npx playwright test` on its own.
 */
export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "tmp/playwright-results",
  // Every page is checked with axe, which takes seconds on a busy 2-core machine without a GPU: the
  // budget is for that machine, and speed is measured by the benchmark, not here.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: "tmp/playwright-report" }]],
  use: {
    baseURL,
    launchOptions: chromiumLaunchOptions(),
    trace: "retain-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      APP_URL: baseURL,
      DATABASE_PATH: "tmp/e2e/care-circle.db",
      NODE_ENV: "development",
      DEMO_PASSWORD: "care-circle-demo",
      // "Leave quickly" goes here; the tests answer for this site, so no test leaves the machine.
      LEAVE_QUICKLY_URL: "https://neutral.example/",
      // Mail about events must arrive whatever the hour the tests run at; quiet hours are tested with a set clock.
      DEFAULT_QUIET_HOURS: "off",
    },
  },
});
