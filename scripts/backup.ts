/**
 * Writes a consistent copy of the embedded database while the server keeps serving, checks it, and prints
 * where it is and its size (docs/decisions/015-backups.md). Usage:
 *   npm run backup [-- --to backups/before-upgrade.db] [--database data/care-circle.db]
 * Without --to, the copy goes to backups/care-circle-<UTC timestamp>.db.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { backupDatabase, BackupRefusal, embeddedDatabaseFile, fileTimestamp, formatSize } from "#db/backup";

const usage = "Usage: npm run backup [-- --to path/to/copy.db] [--database path/to/care-circle.db]";

let options: { to?: string; database?: string };
try {
  options = parseArgs({ options: { to: { type: "string" }, database: { type: "string" } } }).values;
} catch (error) {
  console.error((error as Error).message);
  console.error(usage);
  process.exit(2);
}

try {
  const source = embeddedDatabaseFile(options.database);
  const destination = path.resolve(options.to ?? path.join("backups", `care-circle-${fileTimestamp()}.db`));
  const backup = backupDatabase(source, destination);
  console.log(`Backed up ${source}`);
  console.log(`to ${backup.file} (${formatSize(backup.bytes)}, ${backup.bytes} bytes).`);
  console.log("The copy passed PRAGMA integrity_check and foreign_key_check.");
} catch (error) {
  // A refusal says what to do; anything else is SQLite's or the file system's own sentence, never a stack trace.
  console.error(error instanceof BackupRefusal ? error.message : `The backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
