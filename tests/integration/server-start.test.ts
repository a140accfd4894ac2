import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot, testDatabaseDir } from "../support/paths";

/**
 * The production server as `npm start` runs it: the compiled build/server.js on a brand-new database.
 * It migrates, publishes the library, seeds the demo, serves, and holds one copy of the app, so
 * one database connection.
 */
let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill("SIGTERM");
});

function freePort() {
  return new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, deadline = Date.now() + 60_000): Promise<Response> {
  try {
    return await fetch(`${base}/healthz`);
  } catch (error) {
    if (Date.now() > deadline) throw error;
    await new Promise((resolve) => setTimeout(resolve, 200));
    return waitForHealth(base, deadline);
  }
}

describe("the compiled server", () => {
  it("starts on a fresh database, prints the demo sign-ins, and opens the database once", async () => {
    const database = path.join(testDatabaseDir, `server-${process.pid}`, "care-circle.db");
    const port = await freePort();
    let output = "";
    server = spawn(process.execPath, [path.join(projectRoot, "build/server.js")], {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: "development",
        DATABASE_PATH: database,
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
      },
    });
    server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

    const health = await waitForHealth(`http://127.0.0.1:${port}`);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(output).toContain("Seeded the demo program.");
    expect(output).toContain("supporter  supporter@demo.test");
    expect((await fetch(`http://127.0.0.1:${port}/login`)).status).toBe(200);

    // Where the system lets us look (Linux), count the process's open handles on the database file.
    const descriptors = `/proc/${server.pid}/fd`;
    if (fs.existsSync(descriptors)) {
      const onDatabase = fs.readdirSync(descriptors).filter((fd) => {
        try {
          return fs.readlinkSync(path.join(descriptors, fd)) === database;
        } catch {
          return false;
        }
      });
      expect(onDatabase).toHaveLength(1);
    }
  });
});
