import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseDir } from "../support/paths";
import { startServer } from "../support/server";

/**
 * The production server as `npm start` runs it: the compiled build/server.js on a brand-new database.
 * It migrates, publishes the library, seeds the demo, serves, and holds one copy of the app, so
 * one database connection.
 */
let server: Awaited<ReturnType<typeof startServer>> | undefined;
afterAll(() => server?.stop());

describe("the compiled server", () => {
  it("starts on a fresh database, prints the demo sign-ins, and opens the database once", async () => {
    const database = path.join(testDatabaseDir, `server-${process.pid}`, "care-circle.db");
    server = await startServer(database);

    expect(await server.health.json()).toEqual({ status: "ok" });
    expect(server.output()).toContain("Seeded the demo program.");
    expect(server.output()).toContain("supporter  supporter@demo.test");
    expect((await fetch(`${server.base}/login`)).status).toBe(200);

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
