import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { databaseLocation, defaultBusyTimeoutMs } from "./database";
import { migrateDatabase, migrationsFolder, migrationsTable, referencePairs, type BrokenReference } from "./migrate";

/**
 * Backups and restores of the embedded database file (docs/decisions/015-backups.md). They work on the file
 * itself through better-sqlite3, whichever driver serves it, as the migrator does: the file format, WAL and
 * locks are SQLite's, shared by both engines.
 */

/** Why a backup or restore stopped, written for the person at the terminal. Nothing was changed. */
export class BackupRefusal extends Error {}

/**
 * How long a restore waits for another process to let go of the database. A request's transaction ends in
 * milliseconds; a server, or Litestream, holds the file for as long as it runs, so waiting longer would not help.
 */
const inUseWaitMs = 1000;

const serverAdvice = [
  "Back up and restore a server with its own means:",
  "- Turso keeps every commit for its plan's retention period, and a restore is a new database made from a moment in time:",
  "    turso db create care-circle-restored --from-db <database> --timestamp 2026-12-02T09:00:00Z",
  "  then point DATABASE_URL (and DATABASE_AUTH_TOKEN) at the new database.",
  "- A self-hosted libSQL server (sqld) replicates to S3-compatible storage with its bottomless replication.",
].join("\n");

/**
 * The embedded database file that `--database` names, or else the one the server would open (DATABASE_URL,
 * DATABASE_PATH or data/care-circle.db). A libSQL server or Turso is refused with what to do instead.
 */
export function embeddedDatabaseFile(databaseFlag: string | undefined, environment = process.env): string {
  const location = databaseLocation(databaseFlag ? { ...environment, DATABASE_URL: databaseFlag } : environment);
  if (location.driver === "better-sqlite3") return path.resolve(location.file);
  if (location.file) return path.resolve(location.file);
  // The host only: a URL may carry an auth token in its query string.
  throw new BackupRefusal(
    `The database is a libSQL server (${new URL(location.url).host}): this command copies an embedded SQLite file ` +
      `and cannot reach a server's storage.\n${serverAdvice}`,
  );
}

/** A UTC timestamp for file names: sortable, and without the colons some file systems refuse. */
export function fileTimestamp(at = new Date()) {
  return at
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");
}

export function formatSize(bytes: number) {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Writes a consistent copy of the live database to `destination` while the server goes on writing, checks it,
 * and only then gives it its name, so that a file under that name is always a whole, checked backup.
 *
 * `VACUUM INTO` reads the database in one read transaction: in WAL mode that is a snapshot of every transaction
 * committed when it began, taken without blocking the server's writes, and never restarted by them (the online
 * backup API starts over whenever another connection writes between its steps). Its output is a compact,
 * self-contained file in rollback-journal mode, with no -wal beside it.
 */
export function backupDatabase(source: string, destination: string) {
  if (!fs.existsSync(source)) throw new BackupRefusal(`There is no database at ${source}.`);
  if (fs.existsSync(destination)) {
    throw new BackupRefusal(`${destination} already exists, and a backup never overwrites a file. Choose another --to.`);
  }
  // Backups hold patient records: the folder and the file are for the account that runs the service only.
  fs.mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
  const partial = `${destination}.partial`;
  fs.rmSync(partial, { force: true });
  try {
    const live = new BetterSqlite3(source, { fileMustExist: true, timeout: defaultBusyTimeoutMs });
    try {
      live.prepare("VACUUM INTO ?").run(partial);
    } finally {
      live.close();
    }
    fs.chmodSync(partial, 0o600);
    syncFile(partial);
    checkCopy(partial, path.basename(destination));
    fs.renameSync(partial, destination);
    syncFile(path.dirname(destination));
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return { file: destination, bytes: fs.statSync(destination).size };
}

type CopyState = { migrations: number; lastMigrationAt: number };

/**
 * Refuses a copy that SQLite finds damaged (`integrity_check`), that has rows pointing at nothing
 * (`foreign_key_check`), or that is not a Care Circle database (no migrations table); returns how far its
 * migrations go.
 */
export function checkCopy(file: string, name = path.basename(file)): CopyState {
  let copy: BetterSqlite3.Database | undefined;
  try {
    copy = new BetterSqlite3(file, { fileMustExist: true, timeout: defaultBusyTimeoutMs });
    const integrity = (copy.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check);
    if (integrity.join() !== "ok") {
      throw new BackupRefusal(`${name} failed SQLite's integrity check: ${integrity.slice(0, 3).join("; ")}`);
    }
    const broken = copy.pragma("foreign_key_check") as BrokenReference[];
    if (broken.length > 0) throw new BackupRefusal(`${name} has rows pointing at nothing: ${referencePairs(broken)}`);
    const hasMigrations = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(migrationsTable);
    const state = hasMigrations
      ? (copy
          .prepare(`SELECT count(*) AS migrations, max(created_at) AS lastMigrationAt FROM "${migrationsTable}"`)
          .get() as CopyState)
      : undefined;
    if (!state?.migrations) throw new BackupRefusal(`${name} is not a Care Circle database: it has no record of migrations.`);
    return state;
  } catch (error) {
    if (!(error instanceof BetterSqlite3.SqliteError)) throw error;
    if (error.code === "SQLITE_NOTADB") throw new BackupRefusal(`${name} is not a SQLite database.`);
    throw new BackupRefusal(`${name} failed SQLite's integrity check: ${error.message}.`);
  } finally {
    copy?.close();
  }
}

/**
 * Puts a backup in place of the database at `target`: the copy is checked before anything changes, the server
 * must be stopped, the replaced file is kept beside it, and migrations then bring an older backup up to date.
 */
export async function restoreDatabase(backup: string, target: string) {
  if (!fs.existsSync(backup)) throw new BackupRefusal(`There is no backup at ${backup}.`);
  if (fs.existsSync(target) && sameFile(backup, target)) throw new BackupRefusal(`${backup} is the database itself.`);
  const stamp = fileTimestamp();
  const folder = path.dirname(target);
  fs.mkdirSync(folder, { recursive: true });
  // Checked where it will live, so that what goes in is byte for byte what was checked, and the last step is a
  // rename within one folder (atomic); the user's backup file is never opened for writing.
  const incoming = `${target}.restoring-${stamp}`;
  fs.copyFileSync(backup, incoming, fs.constants.COPYFILE_EXCL);
  let copy: CopyState;
  let replaced: string | undefined;
  try {
    copy = checkCopy(incoming, path.basename(backup));
    refuseNewerThanThisVersion(path.basename(backup), copy);
    if (fs.existsSync(target)) fs.chmodSync(incoming, fs.statSync(target).mode & 0o777);
    syncFile(incoming);
    if (fs.existsSync(target)) replaced = setAside(target, `${target}.replaced-${stamp}`);
    fs.renameSync(incoming, target);
    syncFile(folder);
  } finally {
    for (const leftover of [incoming, `${incoming}-wal`, `${incoming}-shm`]) fs.rmSync(leftover, { force: true });
  }
  try {
    await migrateDatabase(target);
  } catch (error) {
    const kept = replaced ? ` The database it replaced is kept at ${replaced}.` : "";
    throw new Error(`The backup is in place at ${target}, but its migrations failed: ${(error as Error).message}.${kept}`);
  }
  const migrated = checkCopy(target);
  return { replaced, migrationsApplied: migrated.migrations - copy.migrations };
}

/** A backup made by a later version has migrations this one does not know; running it would misread its tables. */
function refuseNewerThanThisVersion(name: string, copy: CopyState) {
  const known = Math.max(...readMigrationFiles({ migrationsFolder }).map((migration) => migration.folderMillis));
  if (copy.lastMigrationAt > known) {
    throw new BackupRefusal(
      `${name} was made by a later version of Care Circle (its last migration is from ${new Date(copy.lastMigrationAt).toISOString()}, ` +
        `this version's from ${new Date(known).toISOString()}). Restore it with that version.`,
    );
  }
}

/**
 * Moves the live database aside, under `replaced`, whole. It takes SQLite's exclusive lock first: in WAL mode
 * every open connection holds a shared lock on the file for as long as it is open, so a running server (or
 * Litestream, or a transaction in another process) makes this fail at once, and the restore refuses. Holding
 * the lock, it copies every committed transaction from the WAL into the file; closing the last connection then
 * removes the WAL. Only then are stale -wal and -shm files deleted: a -wal left beside the restored file would
 * be replayed into it.
 */
function setAside(target: string, replaced: string) {
  const live = new BetterSqlite3(target, { fileMustExist: true, timeout: inUseWaitMs });
  try {
    live.pragma("locking_mode = EXCLUSIVE");
    live.exec("BEGIN EXCLUSIVE");
    live.exec("COMMIT");
    const [checkpoint] = live.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    if (checkpoint?.busy) throw new BackupRefusal(inUse(target));
  } catch (error) {
    if (!(error instanceof BetterSqlite3.SqliteError)) throw error;
    if (error.code === "SQLITE_BUSY") throw new BackupRefusal(inUse(target));
    // A file SQLite cannot read as a database is what a restore is for: it is kept aside as it is.
    if (error.code !== "SQLITE_NOTADB") throw error;
  } finally {
    live.close();
  }
  const wal = `${target}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) throw new BackupRefusal(inUse(target));
  fs.linkSync(target, replaced);
  fs.rmSync(wal, { force: true });
  fs.rmSync(`${target}-shm`, { force: true });
  return replaced;
}

function inUse(target: string) {
  return (
    `${target} is open in another process: a running Care Circle server, Litestream, or another program ` +
    "holding it. Stop it, run the restore again, then start the server. Nothing was changed."
  );
}

function sameFile(a: string, b: string) {
  const [first, second] = [fs.statSync(a), fs.statSync(b)];
  return first.dev === second.dev && first.ino === second.ino;
}

/** Flushes a file, or a folder's entries after a rename, to the disk, so a power loss cannot undo it. */
function syncFile(file: string) {
  const descriptor = fs.openSync(file, "r");
  try {
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}
