import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrate as migrateLibsql } from "drizzle-orm/libsql/migrator";
import { databaseLocation, type DatabaseLocation } from "./database";

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../drizzle");

/** The name Drizzle's migrators (better-sqlite3 and libSQL alike) keep the applied migrations under. */
export const migrationsTable = "__drizzle_migrations";

/** A row of `PRAGMA foreign_key_check`. */
export type BrokenReference = { table: string; parent: string };

/** "child -> parent" for each pair of tables with a row pointing at nothing, once each. */
export function referencePairs(broken: BrokenReference[]) {
  return [...new Set(broken.map((row) => `${row.table} -> ${row.parent}`))].join(", ");
}

function refuseBrokenReferences(broken: BrokenReference[]) {
  if (broken.length > 0) throw new Error(`Migrations left rows pointing at nothing: ${referencePairs(broken)}`);
}

/** How many migrations the database records as applied: none before the first run, when the table is not there yet. */
const tableExists = `select count(*) as found from sqlite_master where type = 'table' and name = '${migrationsTable}'`;
const appliedCount = `select count(*) as applied from "${migrationsTable}"`;

/**
 * Applies the committed Drizzle migrations, then closes the database. Foreign keys are off while they
 * run and checked once they are in, when any was applied (the check reads every row: seconds on a large
 * program, which a restart with nothing to apply should not pay), as SQLite's table-rebuild procedure asks: with them on (the pragma
 * cannot change inside the migrator's transaction), dropping a rebuilt table would delete or refuse its
 * children instead of keeping them. An embedded file is migrated through better-sqlite3 whichever driver
 * serves it; a libSQL server through libSQL's own migration batch, which turns foreign keys off likewise.
 */
export async function migrateDatabase(location: DatabaseLocation | string, folder = migrationsFolder) {
  const where: DatabaseLocation = typeof location === "string" ? { driver: "better-sqlite3", file: location } : location;
  if (where.driver === "libsql" && !where.file) {
    const client = createClient({ url: where.url, authToken: where.authToken });
    try {
      const applied = async () =>
        (await client.execute(tableExists)).rows[0]!.found ? Number((await client.execute(appliedCount)).rows[0]!.applied) : 0;
      const before = await applied();
      await migrateLibsql(drizzleLibsql({ client }), { migrationsFolder: folder, migrationsTable });
      if ((await applied()) === before) return;
      const { rows } = await client.execute("PRAGMA foreign_key_check");
      refuseBrokenReferences(rows.map((row) => ({ table: row.table as string, parent: row.parent as string })));
    } finally {
      client.close();
    }
    return;
  }
  const file = where.file!;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = OFF");
    const applied = () =>
      sqlite.prepare(tableExists).pluck().get() ? (sqlite.prepare(appliedCount).pluck().get() as number) : 0;
    const before = applied();
    migrate(drizzle(sqlite), { migrationsFolder: folder, migrationsTable });
    if (applied() !== before) refuseBrokenReferences(sqlite.pragma("foreign_key_check") as BrokenReference[]);
  } finally {
    sqlite.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const location = databaseLocation();
  await migrateDatabase(location);
  console.log(`Migrated ${"file" in location && location.file ? location.file : "the libSQL database"}`);
}
