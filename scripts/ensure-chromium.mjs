/**
 * Makes sure a Chromium exists for the end-to-end tests: Debian's (apt-get, as root), or else
 * Playwright's own download; otherwise says exactly what to do.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { systemChromium } from "./chromium.mjs";

function playwrightChromium() {
  try {
    const path = chromium.executablePath();
    return path && fs.existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} command @param {string[]} args */
function run(command, args) {
  console.log(`$ ${command} ${args.join(" ")}`);
  return spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
}

const found = systemChromium() ?? playwrightChromium();
if (found) {
  console.log(`Chromium for end-to-end tests: ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = (() => {
  try {
    execFileSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

if (isRoot && hasApt) {
  console.log("No Chromium found: installing Debian's chromium package.");
  if (run("apt-get", ["update", "-qq"]) && run("apt-get", ["install", "-y", "-qq", "chromium"]) && systemChromium()) {
    process.exit(0);
  }
  console.error("Installing Debian's chromium failed.");
}

console.log("No Chromium found: trying `npx playwright install chromium`.");
if (run("npx", ["playwright", "install", "chromium"]) && playwrightChromium()) process.exit(0);

console.error(`
No Chromium is available for the end-to-end tests. Do one of these, then run npm test again:
  - on Debian or Ubuntu, as root:  apt-get update && apt-get install -y chromium
  - anywhere else:                 npx playwright install --with-deps chromium
  - or point CHROMIUM_PATH at an existing Chromium or Chrome binary.
`);
process.exit(1);
