import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../../tests/support/paths";
import { freePort } from "../../tests/support/server-process";
import type { Target } from "./cells";

/**
 * The two floors every page is compared with.
 * (a) bare: the smallest Remix app (bench/floor-app: root and index, no session, no database) on the same
 *     Remix, React and Express packages and compiler as Care Circle, served by Express alone.
 * (b) privacy: Care Circle's own public page with no loader of its own, through the whole app shell:
 *     Express middleware, the root loader (no session cookie, so no database read) and the layout.
 */
const floorApp = path.join(projectRoot, "bench/floor-app");
const floorBuild = path.join(projectRoot, "tmp/bench/floor-app/build");

export function buildFloorApp() {
  const built = spawnSync("npx", ["remix", "build", floorApp], { cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error(`Building bench/floor-app failed (exit ${built.status})`);
}

/** Starts the floor app's server and resolves once it answers its page. */
export async function startFloorServer() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(floorApp, "server.mjs")], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), FLOOR_BUILD: floorBuild },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("The floor app's server exited while starting");
    const answer = await fetch(`${url}/`).catch(() => null);
    if (answer?.ok) {
      await answer.body?.cancel();
      break;
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("The floor app's server did not answer within 30 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return { url, pid: child.pid!, stop };
}

const page = (status: number) => status === 200;
/**
 * What every request of the benchmark says of itself, as a browser does: its language, and the encodings
 * it reads (`--encoding` sets them before any target is made; "identity" measures without compression).
 */
export const browserHeaders: Record<string, string> = { "Accept-Language": "en-US", "Accept-Encoding": "gzip, deflate, br" };

export const bareFloor: Target = {
  key: "floor-bare",
  label: "floor (a): bare Remix page",
  kind: "floor",
  method: "GET",
  path: "/",
  headers: browserHeaders,
  succeeded: page,
};

export const privacyFloor: Target = {
  key: "floor-privacy",
  label: "floor (b): /privacy through Care Circle's shell",
  kind: "floor",
  method: "GET",
  path: "/privacy",
  headers: browserHeaders,
  succeeded: page,
};
