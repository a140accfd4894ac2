import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { databaseLocation, openDatabase, type Database, type DatabaseLocation } from "#db/database";
import { migrateDatabase } from "#db/migrate";
import { preparedRead } from "#db/prepared";
import { programs } from "#db/schema";
import { DatabaseBusyError } from "#db/turnstile";
import { newId } from "~/utils/crypto.server";
import { templateDatabasePath, testDatabaseDir } from "../support/paths";

const opened: (() => void)[] = [];
afterAll(() => opened.forEach((close) => close()));

function freshFile() {
  const file = path.join(testDatabaseDir, `driver-${crypto.randomUUID()}.db`);
  fs.copyFileSync(templateDatabasePath, file);
  return file;
}

const drivers: [string, (file: string) => DatabaseLocation][] = [
  ["better-sqlite3", (file) => ({ driver: "better-sqlite3", file })],
  ["libsql (file:)", (file) => ({ driver: "libsql", url: `file:${file}`, file })],
];

async function open(location: DatabaseLocation, busyTimeoutMs?: number) {
  const handle = await openDatabase(location, { busyTimeoutMs });
  opened.push(handle.close);
  return handle.db;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = async (db: Database, prefix: string) =>
  (await db.values<[number]>(sql`SELECT count(*) FROM programs WHERE name LIKE ${`${prefix}%`}`))[0]![0];
const program = (name: string) => ({ id: newId(), name, timeZone: "America/Chicago" });

describe.each(drivers)("the database handle on %s", (driver, locate) => {
  it("runs two transactions and a stray read started at once one after another, never interleaved", async () => {
    const db = await open(locate(freshFile()));
    const events: string[] = [];
    const first = db.transaction(async (tx) => {
      await tx.insert(programs).values(program("A one"));
      events.push("A wrote one");
      await pause(30); // other requests get the event loop here
      await tx.insert(programs).values(program("A two"));
      events.push("A committing");
    });
    const second = db.transaction(async (tx) => {
      events.push(`B saw ${await count(tx, "A ")} of A`);
      await tx.insert(programs).values(program("B one"));
    });
    const stray = (async () => {
      const seen = await count(db, "A ");
      events.push(`stray saw ${seen} of A`);
    })();
    await Promise.all([first, second, stray]);
    // The stray read waited for the open transaction rather than reading into it (it would have seen 1).
    expect(events).toEqual(["A wrote one", "A committing", "B saw 2 of A", "stray saw 2 of A"]);
    expect(await count(db, "B ")).toBe(1);
  });

  it("rolls a transaction back when its callback throws after an await, and the next one goes on", async () => {
    const db = await open(locate(freshFile()));
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(programs).values(program("Rolled back"));
        await pause(5);
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await count(db, "Rolled back")).toBe(0);
    await db.transaction(async (tx) => tx.insert(programs).values(program("Kept")));
    expect(await count(db, "Kept")).toBe(1);
  });

  it("turns a statement on the handle inside its own transaction into a busy error instead of a hang", async () => {
    const db = await open(locate(freshFile()), 200);
    const failure = await db.transaction(async () => count(db, "anything")).catch((error: unknown) => error);
    expect((failure as Error).cause).toBeInstanceOf(DatabaseBusyError);
    expect(await count(db, "anything")).toBe(0); // the handle is usable again
  });

  it("runs a prepared read on the handle and inside transactions, seeing each transaction's own writes", async () => {
    const db = await open(locate(freshFile()));
    let builds = 0;
    const programNamed = preparedRead((on) => {
      builds += 1;
      return on
        .select({ name: programs.name })
        .from(programs)
        .where(eq(programs.name, sql.placeholder("name")))
        .prepare();
    });
    const read = async (on: Database, name: string) => (await programNamed(on).all({ name })).map((row) => row.name);
    await db.insert(programs).values(program("Prepared one"));
    expect(await read(db, "Prepared one")).toEqual(["Prepared one"]);
    expect(await read(db, "Prepared two")).toEqual([]);
    await db.transaction(async (tx) => {
      await tx.insert(programs).values(program("Prepared two"));
      expect(await read(tx, "Prepared two")).toEqual(["Prepared two"]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(programs).values(program("Prepared three"));
        expect(await read(tx, "Prepared three")).toEqual(["Prepared three"]);
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    await db.transaction(async (tx) => expect(await read(tx, "Prepared three")).toEqual([]));
    expect(await read(db, "Prepared two")).toEqual(["Prepared two"]);
    // Built once for the handle; its transactions share one more on better-sqlite3, and each has its own on libSQL.
    expect(builds).toBe(driver === "better-sqlite3" ? 2 : 4);
  });

  it("keeps WAL, foreign keys and the busy timeout on every connection, before and after a transaction", async () => {
    const db = await open(locate(freshFile()));
    const pragma = async (name: string) => (await db.values<[string | number]>(sql.raw(`PRAGMA ${name}`)))[0]![0];
    const settings = async () => ({
      journal: await pragma("journal_mode"),
      foreignKeys: await pragma("foreign_keys"),
      busyTimeout: await pragma("busy_timeout"),
    });
    const expected = { journal: "wal", foreignKeys: 1, busyTimeout: 5000 };
    expect(await settings()).toEqual(expected);
    await db.transaction(async (tx) => tx.insert(programs).values(program("Between")));
    expect(await settings()).toEqual(expected);
    const orphan = sql`INSERT INTO episodes (id, program_id, patient_id, primary_therapist_id, start_date, planned_weeks)
      VALUES ('e', 'no such program', 'p', 't', '2026-01-05', 10)`;
    const failure = await db.run(orphan).catch((error: unknown) => error);
    expect(String((failure as Error).cause)).toMatch(/FOREIGN KEY/);
  });
});

describe("where the data lives", () => {
  it("reads DATABASE_URL first, then DATABASE_PATH, and picks the driver", () => {
    expect(databaseLocation({})).toEqual({ driver: "better-sqlite3", file: "data/care-circle.db" });
    expect(databaseLocation({ DATABASE_PATH: "x/y.db" })).toEqual({ driver: "better-sqlite3", file: "x/y.db" });
    expect(databaseLocation({ DATABASE_URL: "file:/srv/cc.db", DATABASE_PATH: "ignored.db" })).toEqual({
      driver: "better-sqlite3",
      file: "/srv/cc.db",
    });
    expect(databaseLocation({ DATABASE_URL: "file:///srv/cc.db", DATABASE_DRIVER: "libsql" })).toEqual({
      driver: "libsql",
      url: "file:/srv/cc.db",
      file: "/srv/cc.db",
    });
    expect(databaseLocation({ DATABASE_URL: "libsql://cc.example.turso.io", DATABASE_AUTH_TOKEN: "secret" })).toEqual({
      driver: "libsql",
      url: "libsql://cc.example.turso.io",
      authToken: "secret",
    });
    expect(() => databaseLocation({ DATABASE_PATH: "a.db", DATABASE_DRIVER: "postgres" })).toThrow(/DATABASE_DRIVER/);
  });

  it("migrates through libSQL's own migrator (the path a libSQL server takes) to the same schema", async () => {
    const file = path.join(testDatabaseDir, `libsql-migrated-${crypto.randomUUID()}.db`);
    await migrateDatabase({ driver: "libsql", url: `file:${file}` });
    const schemaOf = async (location: DatabaseLocation) => {
      const db = await open(location);
      const rows = await db.values<[string, string, string]>(
        sql`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name`,
      );
      return rows.map((row) => Array.from(row)); // libSQL's rows are array-like objects, not arrays
    };
    const viaLibsql = await schemaOf({ driver: "libsql", url: `file:${file}`, file });
    expect(viaLibsql.length).toBeGreaterThan(20);
    expect(viaLibsql).toEqual(await schemaOf({ driver: "better-sqlite3", file: freshFile() }));
  });
});
