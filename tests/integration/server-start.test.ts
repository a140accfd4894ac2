import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { testDatabaseDir } from "../support/paths";
import { startServer, type ServerProcess } from "../support/server-process";

/**
 * The production server as `npm start` runs it: the compiled build/server.js on a brand-new database.
 * It migrates, publishes the library, seeds the demo, serves, and holds one copy of the app, so
 * one database connection for requests (and one of the background checkpointer's thread, unless turned off).
 */
const servers: ServerProcess[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop("SIGTERM"))));

/** The process's open handles on the database file, where the system lets us look (Linux); null elsewhere. */
function handlesOn(server: ServerProcess, database: string) {
  const descriptors = `/proc/${server.pid}/fd`;
  if (!fs.existsSync(descriptors)) return null;
  return fs.readdirSync(descriptors).filter((fd) => {
    try {
      return fs.readlinkSync(path.join(descriptors, fd)) === database;
    } catch {
      return false;
    }
  }).length;
}

describe("the compiled server", () => {
  it("starts on a fresh database, prints the demo sign-ins, and opens the database once", async () => {
    const database = path.join(testDatabaseDir, `server-${process.pid}`, "care-circle.db");
    const server = await startServer(database, { NODE_ENV: "development" });
    servers.push(server);

    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect(server.output()).toContain("Seeded the demo program.");
    expect(server.output()).toContain("supporter  supporter@demo.test");
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    // The app's connection, and the checkpointer thread's own (its thread opens it a moment after the start).
    await vi.waitFor(() => expect(handlesOn(server, database) ?? 2).toBe(2), { timeout: 10_000 });
  });

  it("leaves checkpoints to SQLite when BACKGROUND_CHECKPOINTS=off", async () => {
    const database = path.join(testDatabaseDir, `server-off-${process.pid}`, "care-circle.db");
    const server = await startServer(database, { NODE_ENV: "development", BACKGROUND_CHECKPOINTS: "off" });
    servers.push(server);
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    expect(handlesOn(server, database) ?? 1).toBe(1);
  });
});
