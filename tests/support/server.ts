import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { projectRoot } from "./paths";

function freePort() {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The production server as `npm start` runs it: the compiled build/server.js (`npm run build` first) on
 * `database`, on the driver the test run asks for. Resolves once it answers /healthz, with that answer.
 */
export async function startServer(database: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, [path.join(projectRoot, "build/server.js")], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "development", DATABASE_PATH: database, PORT: String(port), APP_URL: base },
  });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const deadline = Date.now() + 60_000;
  let health: Response | undefined;
  while (!health) {
    if (!running) throw new Error(`The server stopped before it answered:\n${output}`);
    health = await fetch(`${base}/healthz`).catch(async (error: unknown) => {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return undefined;
    });
  }
  return {
    base,
    health,
    pid: child.pid!,
    output: () => output,
    /** SIGTERM, as a service manager stops it: the server closes its database and exits. */
    stop: async () => {
      if (running) child.kill("SIGTERM");
      await exited;
    },
  };
}
