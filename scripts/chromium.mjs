import fs from "node:fs";

/** Debian's Chromium where the system has one (this project's machines); otherwise Playwright's own build. */
export const systemChromiumPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function systemChromium() {
  return process.env.CHROMIUM_PATH || systemChromiumPaths.find((candidate) => fs.existsSync(candidate));
}

export function chromiumLaunchOptions() {
  const executablePath = systemChromium();
  if (!executablePath) return {};
  return {
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  };
}
