import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { databaseLocation, openDatabase, type Database, type OpenDatabase } from "#db/database";
import { migrateDatabase, migrationsFolder } from "#db/migrate";
import { createInvitedAccount } from "~/models/account.server";
import { createProgram, findProgramByName } from "~/models/program.server";
import { db, driver } from "../support/database";
import { migrationsAfter, migrationsUpTo } from "../support/migrations";
import { projectRoot, templateDatabasePath, testDatabaseDir } from "../support/paths";
import { startServer, type ServerProcess } from "../support/server-process";

/**
 * `npm run backup` and `npm run restore`, run as commands against databases that are in use. The commands
 * work on the file through better-sqlite3 whichever driver serves it, so what they write, check and refuse
 * is driver-independent; what runs on the driver of the test run (better-sqlite3, then libSQL) is the other
 * side: the writer taking writes during the backup, the process holding the database during a restore, the
 * compiled server, and the app opening the restored file.
 */
const scratch = path.join(testDatabaseDir, `backups-${process.pid}`);
const opened: OpenDatabase[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop("SIGTERM")));
  opened.forEach((handle) => handle.close());
  fs.rmSync(scratch, { recursive: true, force: true });
});

const tsxLoader = pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href;

/** Runs `npm run <script> -- …args` as a separate process, from `cwd`. */
function run(script: "backup" | "restore", args: string[], cwd = projectRoot) {
  const child = spawn(process.execPath, ["--import", tsxLoader, path.join(projectRoot, `scripts/${script}.ts`), ...args], {
    cwd,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(projectRoot, "tsconfig.json") },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (status) => resolve({ status, stdout, stderr })),
  );
}

/** A migrated database of its own, in a folder of its own, as a server's data folder. */
function liveDatabase(name: string) {
  const folder = path.join(scratch, name);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, "care-circle.db");
  fs.copyFileSync(templateDatabasePath, file);
  return file;
}

/** Opens `file` as the app does, on the driver of this test run. */
async function open(file: string) {
  const handle = await openDatabase(databaseLocation({ DATABASE_PATH: file, DATABASE_DRIVER: driver }));
  opened.push(handle);
  return handle;
}

/**
 * What a restore must leave alone: the names in the database's folder, and the database file itself. Only
 * stat, never open: closing any descriptor on the file would drop this process's SQLite locks on it (POSIX
 * locks belong to the process), and with them a holder's claim to the database.
 */
function folderState(file: string) {
  const { ino, size, mtimeMs } = fs.statSync(file);
  return { names: fs.readdirSync(path.dirname(file)).sort(), ino, size, mtimeMs };
}

/**
 * Writes a program through the models, then lets go of the file, as a stopped server has. Through better-sqlite3 on
 * either run: @libsql/client's close() leaves an embedded file open until the client is garbage-collected (libsql
 * 0.5.29), and a restore would rightly take that process for one still holding the database.
 */
async function writeAndClose(file: string, programName: string) {
  const { db: stopped, close } = await openDatabase({ driver: "better-sqlite3", file });
  try {
    await createProgram(stopped, programName, timeZone);
  } finally {
    close();
  }
}

/** Reads a database file on its own, as SQLite finds it on disk. */
function inspect<T>(file: string, read: (sqlite: BetterSqlite3.Database) => T): T {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return read(sqlite);
  } finally {
    sqlite.close();
  }
}

const programNames = (sqlite: BetterSqlite3.Database) =>
  (sqlite.prepare("SELECT name FROM programs").all() as { name: string }[]).map((row) => row.name);
const integrity = (sqlite: BetterSqlite3.Database) => sqlite.pragma("integrity_check", { simple: true });
const appliedMigrations = async (database: Database) =>
  (await database.values<[number]>(sql`SELECT count(*) FROM __drizzle_migrations`))[0]![0];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timeZone = "America/Chicago";

describe("npm run backup", () => {
  it("copies the database while writes go on: the copy is whole, holds every write acknowledged before it began, and each transaction entirely or not at all", async () => {
    // The writer is the app taking writes, as fast as it can: one transaction per program, with its admin's
    // person, membership, activation token and audit row.
    const acknowledged: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 1; writing; n++) {
        await db.transaction(async (tx) => {
          const program = await createProgram(tx, `Writer ${n}`, timeZone);
          await createInvitedAccount(
            tx,
            { id: null, programId: program.id, ipAddress: null },
            { name: `Admin ${n}`, email: `admin-${n}@writer.test`, role: "admin" },
          );
        });
        acknowledged.push(n);
        // Each request reaches a server as an I/O event; on the synchronous engine a loop of awaits alone
        // would never let the event loop (and the backup command's exit) through.
        await new Promise(setImmediate);
      }
    })();
    while (acknowledged.length < 20) await pause(5);

    const copy = path.join(scratch, "mid-stream", "copy.db");
    const acknowledgedBefore = acknowledged.length;
    // The database is the one the environment names (DATABASE_PATH, on this run's driver), as on a server.
    const backup = await run("backup", ["--to", copy]);
    writing = false;
    await writer;

    expect(backup.status, backup.stderr).toBe(0);
    const bytes = fs.statSync(copy).size;
    expect(backup.stdout).toContain(copy);
    expect(backup.stdout).toContain(`${bytes} bytes`);
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);

    const { written, adminsPerProgram } = inspect(copy, (sqlite) => {
      expect(integrity(sqlite)).toBe("ok");
      expect(sqlite.pragma("foreign_key_check")).toEqual([]);
      return {
        written: programNames(sqlite)
          .filter((name) => name.startsWith("Writer "))
          .map((name) => Number(name.slice("Writer ".length)))
          .sort((a, b) => a - b),
        adminsPerProgram: sqlite
          .prepare(
            `SELECT count(memberships.id) AS admins FROM programs
             LEFT JOIN memberships ON memberships.program_id = programs.id AND memberships.role = 'admin'
             WHERE programs.name LIKE 'Writer %' GROUP BY programs.id`,
          )
          .all() as { admins: number }[],
      };
    });
    // A snapshot: the writes 1…k with none missing, k at least every write acknowledged before the backup began.
    expect(written).toEqual(Array.from({ length: written.length }, (_, index) => index + 1));
    expect(written.length).toBeGreaterThanOrEqual(acknowledgedBefore);
    // The writer was never held up: writes went on while the command ran, after its snapshot.
    expect(acknowledged.length).toBeGreaterThan(written.length);
    // No transaction is in the copy by halves.
    expect(adminsPerProgram.every((row) => row.admins === 1)).toBe(true);
  });

  it("writes backups/care-circle-<UTC timestamp>.db by default, for the service's account only, and never overwrites a file", async () => {
    const workingFolder = path.join(scratch, "default-destination");
    fs.mkdirSync(workingFolder, { recursive: true });
    const started = Date.now();
    const backup = await run("backup", [], workingFolder);
    expect(backup.status, backup.stderr).toBe(0);

    const [name, ...others] = fs.readdirSync(path.join(workingFolder, "backups"));
    expect(others).toEqual([]);
    const stamp = /^care-circle-(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\dZ)\.db$/.exec(name!);
    expect(stamp, name).not.toBeNull();
    const madeAt = Date.parse(`${stamp![1]}:${stamp![2]}:${stamp![3]}`);
    expect(madeAt).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    expect(madeAt).toBeLessThanOrEqual(Date.now());
    const file = path.join(workingFolder, "backups", name!);
    expect(backup.stdout).toContain(file);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    const before = folderState(file);
    const again = await run("backup", ["--to", file]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists, and a backup never overwrites a file");
    expect(folderState(file)).toEqual(before);
  });
});

describe("npm run backup and npm run restore on a libSQL server", () => {
  it("refuse, and say what to use instead", async () => {
    const [backup, restore] = await Promise.all([
      run("backup", ["--database", "libsql://care-circle-riverbend.turso.io"]),
      run("restore", [templateDatabasePath, "--database", "https://sqld.example.org:8080"]),
    ]);
    for (const [refusal, host] of [
      [backup, "care-circle-riverbend.turso.io"],
      [restore, "sqld.example.org:8080"],
    ] as const) {
      expect(refusal.status).toBe(1);
      expect(refusal.stderr).toContain(`The database is a libSQL server (${host})`);
      expect(refusal.stderr).toContain("turso db create care-circle-restored --from-db <database> --timestamp");
      expect(refusal.stderr).toContain("bottomless replication");
      expect(refusal.stdout).toBe("");
    }
  });
});

describe("npm run restore", () => {
  it("puts an older backup in place, keeps the replaced database whole beside it, migrates the backup, and the app opens it", async () => {
    // A backup from before migration 0009, as an older version of Care Circle made it.
    const old = path.join(scratch, "older-version", "care-circle.db");
    fs.mkdirSync(path.dirname(old), { recursive: true });
    const lastTag = "0008_people_and_memberships";
    await migrateDatabase(old, migrationsUpTo(scratch, lastTag));
    const oldWriter = new BetterSqlite3(old);
    oldWriter.prepare("INSERT INTO programs (id, name, time_zone) VALUES ('old', 'In the old backup', ?)").run(timeZone);
    oldWriter.close();
    const backupFile = path.join(scratch, "older-version", "backup.db");
    const backup = await run("backup", ["--database", old, "--to", backupFile]);
    expect(backup.status, backup.stderr).toBe(0);

    // The live database has moved on since, and its server died with its last transaction only in the WAL.
    const live = liveDatabase("restore-target");
    await writeAndClose(live, "Written after the backup");
    const crash = spawnSync(
      process.execPath,
      [
        "-e",
        `const sqlite = new (require("better-sqlite3"))(${JSON.stringify(live)});
         sqlite.pragma("wal_autocheckpoint = 0");
         sqlite.prepare("INSERT INTO programs (id, name, time_zone) VALUES ('wal', 'Only in the WAL', 'UTC')").run();
         process.exit(0);`,
      ],
      { cwd: projectRoot, encoding: "utf8" },
    );
    expect(crash.status, crash.stderr).toBe(0);
    expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(0);

    const restore = await run("restore", [backupFile, "--database", live]);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`Applied ${migrationsAfter(lastTag)} migration(s) to bring it up to date.`);

    // Beside it: the replaced database, and no temporary file, nor a -wal or -shm of the old file.
    const replaced = /kept at (\S+)\.\n/.exec(restore.stdout)![1]!;
    expect(fs.readdirSync(path.dirname(live)).sort()).toEqual([path.basename(live), path.basename(replaced)].sort());
    // The replaced file holds everything it had committed, the transaction that was only in its WAL included.
    inspect(replaced, (sqlite) => {
      expect(integrity(sqlite)).toBe("ok");
      expect(programNames(sqlite)).toEqual(expect.arrayContaining(["Written after the backup", "Only in the WAL"]));
    });

    const restored = await open(live);
    expect(await findProgramByName(restored.db, "In the old backup")).toMatchObject({ id: "old" });
    expect(await findProgramByName(restored.db, "Written after the backup")).toBeUndefined();
    expect(await findProgramByName(restored.db, "Only in the WAL")).toBeUndefined();
    expect(await appliedMigrations(restored.db)).toBe(readMigrationFiles({ migrationsFolder }).length);
    // And it takes writes, its foreign keys enforced, as a served database.
    await createProgram(restored.db, "Written after the restore", timeZone);
  });

  it("refuses a damaged copy, a file that is not a database, a database that is not Care Circle's and one from a later version, changing nothing", async () => {
    const source = liveDatabase("damaged-source");
    const good = path.join(scratch, "damaged-source", "good.db");
    const backup = await run("backup", ["--database", source, "--to", good]);
    expect(backup.status, backup.stderr).toBe(0);

    // Garbage over the page where the programs table's rows begin.
    const damaged = path.join(scratch, "damaged-source", "damaged.db");
    fs.copyFileSync(good, damaged);
    const { page, pageSize } = inspect(good, (sqlite) => ({
      page: (sqlite.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'programs'").get() as { rootpage: number }).rootpage,
      pageSize: sqlite.pragma("page_size", { simple: true }) as number,
    }));
    const descriptor = fs.openSync(damaged, "r+");
    fs.writeSync(descriptor, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    fs.closeSync(descriptor);

    const notADatabase = path.join(scratch, "damaged-source", "notes.db");
    fs.writeFileSync(notADatabase, "These are not the rows you are looking for.\n".repeat(200));
    const otherApplication = path.join(scratch, "damaged-source", "other.db");
    const other = new BetterSqlite3(otherApplication);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');");
    other.close();

    const later = path.join(scratch, "damaged-source", "later.db");
    fs.copyFileSync(good, later);
    const laterVersion = new BetterSqlite3(later);
    laterVersion
      .prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', ?)")
      .run(Date.now() + 86_400_000);
    laterVersion.close();

    const cases = [
      [damaged, "damaged.db failed SQLite's integrity check"],
      [notADatabase, "notes.db is not a SQLite database"],
      [otherApplication, "other.db is not a Care Circle database"],
      [later, "later.db was made by a later version of Care Circle"],
    ] as const;
    await Promise.all(
      cases.map(async ([file, reason], index) => {
        const live = liveDatabase(`refused-${index}`);
        const before = folderState(live);
        const refused = await run("restore", [file, "--database", live]);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toContain(reason);
        expect(refused.stderr).not.toMatch(/\n\s+at /);
        expect(folderState(live)).toEqual(before);
      }),
    );
  });

  it("replaces a live file that SQLite cannot read at all, keeping it aside as it was", async () => {
    const live = path.join(scratch, "unreadable", "care-circle.db");
    fs.mkdirSync(path.dirname(live), { recursive: true });
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    fs.writeFileSync(live, garbage);

    const restore = await run("restore", [templateDatabasePath, "--database", live]);
    expect(restore.status, restore.stderr).toBe(0);
    const replaced = /kept at (\S+)\.\n/.exec(restore.stdout)![1]!;
    expect(fs.readFileSync(replaced).equals(garbage)).toBe(true);
    const restored = await open(live);
    expect(await appliedMigrations(restored.db)).toBe(readMigrationFiles({ migrationsFolder }).length);
  });

  it("refuses while another process has the database open, idle or inside a transaction, changing nothing", async () => {
    const live = liveDatabase("held");
    const holder = await open(live);
    await createProgram(holder.db, "Before the restore", timeZone);
    const before = folderState(live);

    const whileOpen = await run("restore", [templateDatabasePath, "--database", live]);
    expect(whileOpen.status).toBe(1);
    expect(whileOpen.stderr).toContain(`${live} is open in another process`);
    expect(folderState(live)).toEqual(before);

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let begun!: () => void;
    const inTransaction = new Promise<void>((resolve) => (begun = resolve));
    const transaction = holder.db.transaction(async (tx) => {
      await createProgram(tx, "Inside the held transaction", timeZone);
      begun();
      await released;
    });
    await inTransaction;
    const duringTransaction = await run("restore", [templateDatabasePath, "--database", live]);
    release();
    await transaction;
    expect(duringTransaction.status).toBe(1);
    expect(duringTransaction.stderr).toContain(`${live} is open in another process`);
    expect(fs.statSync(live).ino).toBe(before.ino);
    expect(await findProgramByName(holder.db, "Inside the held transaction")).toBeDefined();
  });

  it("works beside the running compiled server for a backup, refuses to restore under it, and the server starts on the restored database", async () => {
    const live = path.join(scratch, "served", "care-circle.db");
    const backupFile = path.join(scratch, "served", "backup.db");
    const first = await startServer(live, { NODE_ENV: "development" });
    servers.push(first);

    const backup = await run("backup", ["--database", live, "--to", backupFile]);
    expect(backup.status, backup.stderr).toBe(0);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);

    const underServer = await run("restore", [backupFile, "--database", live]);
    expect(underServer.status).toBe(1);
    expect(underServer.stderr).toContain("is open in another process: a running Care Circle server");
    await first.stop("SIGTERM");

    await writeAndClose(live, "After the backup");
    const restore = await run("restore", [backupFile, "--database", live]);
    expect(restore.status, restore.stderr).toBe(0);
    const replaced = /kept at (\S+)\.\n/.exec(restore.stdout)![1]!;

    const second = await startServer(live, { NODE_ENV: "development" });
    servers.push(second);
    expect(await (await fetch(`${second.url}/healthz`)).json()).toEqual({ status: "ok" });
    // The demo program the first server seeded came back with the backup.
    expect(second.output()).toContain("Demo program already present.");
    expect(inspect(live, programNames)).not.toContain("After the backup");
    expect(inspect(replaced, programNames)).toContain("After the backup");
  }, 120_000);
});
