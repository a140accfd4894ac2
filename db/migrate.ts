import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { defaultDatabasePath, openDatabase } from "./open";

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../drizzle");

/**
 * Applies the committed Drizzle migrations to a database file, then closes it. Foreign keys are off
 * while they run and checked before they count, as SQLite's table-rebuild procedure asks: with them
 * on (the pragma cannot change inside the migrator's transaction), dropping a rebuilt table would
 * delete or refuse its children instead of keeping them.
 */
export function migrateDatabase(file: string, folder = migrationsFolder) {
  const { sqlite, db } = openDatabase(file);
  try {
    sqlite.pragma("foreign_keys = OFF");
    migrate(db, { migrationsFolder: folder });
    const broken = sqlite.pragma("foreign_key_check") as { table: string; parent: string }[];
    if (broken.length > 0) {
      const pairs = [...new Set(broken.map((row) => `${row.table} -> ${row.parent}`))].join(", ");
      throw new Error(`Migrations left rows pointing at nothing: ${pairs}`);
    }
  } finally {
    sqlite.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.env.DATABASE_PATH || defaultDatabasePath;
  migrateDatabase(file);
  console.log(`Migrated ${file}`);
}
