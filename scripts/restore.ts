/**
 * Puts a backup in place of the embedded database: checks it first, refuses while a server has the database
 * open, keeps the replaced file beside it, and migrates an older backup up to date (docs/decisions/015-backups.md).
 * Usage:
 *   npm run restore -- backups/care-circle-2026-12-02T09-00-00Z.db [--database data/care-circle.db]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { BackupRefusal, embeddedDatabaseFile, restoreDatabase } from "#db/backup";

const usage = "Usage: npm run restore -- <backup file> [--database path/to/care-circle.db]";

let backup: string;
let options: { database?: string };
try {
  const parsed = parseArgs({ options: { database: { type: "string" } }, allowPositionals: true });
  if (parsed.positionals.length !== 1) throw new Error("Name one backup file to restore.");
  backup = path.resolve(parsed.positionals[0]!);
  options = parsed.values;
} catch (error) {
  console.error((error as Error).message);
  console.error(usage);
  process.exit(2);
}

try {
  const target = embeddedDatabaseFile(options.database);
  const restored = await restoreDatabase(backup, target);
  console.log(`Restored ${backup}`);
  console.log(`to ${target}; it passed PRAGMA integrity_check and foreign_key_check before it went in.`);
  if (restored.replaced) console.log(`The database it replaced is kept at ${restored.replaced}.`);
  console.log(
    restored.migrationsApplied > 0
      ? `Applied ${restored.migrationsApplied} migration(s) to bring it up to date.`
      : "Its schema was already up to date.",
  );
  console.log("Start the server again: npm start, or node build/server.js.");
} catch (error) {
  console.error(error instanceof BackupRefusal ? error.message : `The restore failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
