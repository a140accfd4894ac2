/**
 * Builds a large program with a year of history in a fresh database, for benchmarks and trying the app at
 * scale. Usage:
 *   npm run seed:large -- --patients 5000 [--database path-or-url] [--replace] [--seed 14] [--password …]
 * The database is --database, else DATABASE_URL, else tmp/large/care-circle-<patients>.db; an embedded file
 * is opened with DATABASE_DRIVER's engine (better-sqlite3 unless it says libsql). A database that holds
 * anything is refused: --replace deletes the file first.
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import * as z from "zod";
import { databaseLocation, openDatabase, type Database, type DatabaseLocation } from "#db/database";
import { migrateDatabase } from "#db/migrate";
import { hashPassword } from "~/models/password.server";
import { defaultSeed, seedLargeProgram, type SeedProgress } from "./large-program/index";

const usage =
  "Usage: npm run seed:large -- --patients <count> [--database path-or-url] [--replace] [--seed <number>] [--password <password>]";

const { values } = parseArgs({
  options: {
    patients: { type: "string" },
    database: { type: "string" },
    replace: { type: "boolean", default: false },
    seed: { type: "string" },
    password: { type: "string" },
  },
});

const input = z
  .object({
    patients: z.coerce
      .number({ error: "--patients is required" })
      .int("--patients must be a whole number")
      .min(1, "--patients must be at least 1")
      .max(100_000, "--patients can be at most 100000"),
    database: z.string().trim().min(1).optional(),
    replace: z.boolean(),
    seed: z.coerce.number().int("--seed must be a whole number").min(0).default(defaultSeed),
    password: z.string().min(12, "--password must be at least 12 characters").max(128).default("care-circle-large"),
  })
  .safeParse(values);

if (!input.success) {
  for (const issue of input.error.issues) console.error(issue.message);
  console.error(usage);
  process.exit(2);
}
const options = input.data;

const location = databaseLocation({
  ...process.env,
  DATABASE_URL: options.database ?? (process.env.DATABASE_URL || `tmp/large/care-circle-${options.patients}.db`),
});
const where = location.driver === "libsql" && !location.file ? location.url : location.file!;

if (options.replace) {
  if (!location.file) {
    console.error(`--replace deletes a database file; ${where} is a server. Empty that database yourself, then run again.`);
    process.exit(2);
  }
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${location.file}${suffix}`, { force: true });
}

/** Whether any table (but the record of migrations) holds a row: then this is somebody's data. */
async function holdsData(db: Database) {
  const tables = await db.values<[string]>(
    sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'`,
  );
  // Rows are read by index: libSQL's rows are array-like, not iterable.
  for (const table of tables) {
    const [row] = await db.values<[number]>(sql`select exists (select 1 from ${sql.identifier(table[0])})`);
    if (row?.[0]) return true;
  }
  return false;
}

/** Whether the database is one the seed may write into: missing, or holding nothing. */
async function isFresh(target: DatabaseLocation) {
  if (target.file && !fs.existsSync(target.file)) return true;
  const { db, close } = await openDatabase(target);
  try {
    return !(await holdsData(db));
  } finally {
    close();
  }
}

function showProgress({ phase, done, total }: SeedProgress) {
  if (!process.stderr.isTTY) return;
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  process.stderr.write(`\r${phase}: ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} (${percent}%)\x1b[K`);
}

async function run(): Promise<number> {
  if (!(await isFresh(location))) {
    console.error(`${where} already holds data; the large program goes into a fresh database only.`);
    console.error("Pass --replace to delete that file and start again, or --database to choose another.");
    return 1;
  }
  const started = performance.now();
  await migrateDatabase(location);
  const { db, close } = await openDatabase(location);
  try {
    if (location.file) {
      // Bulk loading touches indexes all over the file: a larger page cache for this connection spares re-reads.
      await db.run(sql`PRAGMA cache_size = -1048576`);
    }
    const summary = await seedLargeProgram(db, {
      patients: options.patients,
      passwordHash: await hashPassword(options.password),
      seed: options.seed,
      onProgress: showProgress,
    });
    if (location.file) await db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
    if (process.stderr.isTTY) process.stderr.write("\n");
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const size = location.file ? `, ${(fs.statSync(location.file).size / 1_048_576).toFixed(1)} MiB` : "";
    console.log(`"${summary.programName}" written to ${where} (${location.driver}) in ${seconds} s${size}.`);
    console.log("");
    const width = Math.max(...Object.keys(summary.counts).map((key) => key.length));
    for (const [key, value] of Object.entries(summary.counts)) {
      console.log(`  ${key.padEnd(width)}  ${value.toLocaleString("en-US").padStart(10)}`);
    }
    console.log("");
    console.log(`Every account signs in with the password: ${options.password}`);
    const roles: [string, keyof typeof summary.samples][] = [
      ["admin", "admin"],
      ["therapist", "therapist"],
      ["patient", "patient"],
      ["supporter", "supporter"],
      ["supporter of two patients", "supporterOfTwoPatients"],
      ["patient who also supports someone", "patientWhoSupports"],
    ];
    for (const [label, key] of roles) {
      console.log(`${label}:`);
      for (const account of summary.samples[key])
        console.log(`  ${account.email}  (${account.name}, membership ${account.membershipId})`);
    }
  } finally {
    close();
  }
  return 0;
}

try {
  process.exitCode = await run();
} catch (error) {
  // The first line only: a failed statement's parameters follow on the next lines.
  console.error(`The seed stopped: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`);
  process.exitCode = 1;
}
