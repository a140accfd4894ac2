import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { defaultDatabasePath, openDatabase } from "./open";

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../drizzle");

/** Applies the committed Drizzle migrations to a database file, then closes it. */
export function migrateDatabase(file: string) {
  const { sqlite, db } = openDatabase(file);
  try {
    migrate(db, { migrationsFolder });
  } finally {
    sqlite.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.env.DATABASE_PATH || defaultDatabasePath;
  migrateDatabase(file);
  console.log(`Migrated ${file}`);
}
