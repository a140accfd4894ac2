import fs from "node:fs";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import BetterSqlite3 from "better-sqlite3";
import { sql, type Logger } from "drizzle-orm";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { drizzle as drizzleProxy, type AsyncRemoteCallback } from "drizzle-orm/sqlite-proxy";
import * as schema from "./schema";
import { Turnstile } from "./turnstile";

/** The handle every model function takes: the same asynchronous Drizzle API on either driver. */
export type Database = BaseSQLiteDatabase<"async", unknown, typeof schema>;
/** What a transaction's callback receives; a model helper that takes a `Database` accepts it too. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export const defaultDatabasePath = "data/care-circle.db";
/** How long a statement waits for another connection's or another request's transaction before failing. */
export const defaultBusyTimeoutMs = 5000;
/** Set on every connection either driver opens: foreign keys and the busy timeout are per connection. */
const connectionPragmas = (busyTimeoutMs: number) => [
  "journal_mode = WAL",
  "foreign_keys = ON",
  `busy_timeout = ${busyTimeoutMs}`,
  "synchronous = NORMAL",
  // About 40 MiB of log before a commit checkpoints inline: the server's checkpointer (checkpointer.ts)
  // does it in the background long before; scripts without one still checkpoint, in fewer, larger steps.
  "wal_autocheckpoint = 10000",
];

export type DatabaseLocation =
  { driver: "better-sqlite3"; file: string } | { driver: "libsql"; url: string; authToken?: string; file?: string };

/**
 * Where the data lives, from the environment. `DATABASE_URL` wins: `libsql://`, `https://` or `wss://`
 * reach a libSQL server or Turso (with `DATABASE_AUTH_TOKEN`); `file:…` or a plain path stays embedded.
 * Without it, `DATABASE_PATH` (or data/care-circle.db) is the embedded file. An embedded file is opened
 * with better-sqlite3 unless `DATABASE_DRIVER=libsql` asks for libSQL's embedded engine.
 */
export function databaseLocation(environment: Record<string, string | undefined> = process.env): DatabaseLocation {
  const url = environment.DATABASE_URL?.trim() || environment.DATABASE_PATH?.trim() || defaultDatabasePath;
  const remote = /^(libsql|https?|wss?):\/\//i.test(url);
  if (remote) return { driver: "libsql", url, authToken: environment.DATABASE_AUTH_TOKEN || undefined };
  const file = url.startsWith("file:") ? decodeURIComponent(url.replace(/^file:(\/\/(localhost)?)?/, "")) : url;
  if (!file) throw new Error(`DATABASE_URL names no file: ${url}`);
  const driver = environment.DATABASE_DRIVER?.trim() || "better-sqlite3";
  if (driver === "better-sqlite3") return { driver, file };
  if (driver === "libsql") return { driver, url: `file:${path.resolve(file)}`, file };
  throw new Error(`DATABASE_DRIVER must be better-sqlite3 or libsql, not ${driver}`);
}

export type OpenDatabase = { db: Database; location: DatabaseLocation; close: () => void };

/** Opens the database once; the process (or test) hands `db` down to every model call and closes it at the end. */
export async function openDatabase(location: DatabaseLocation, options: OpenOptions = {}): Promise<OpenDatabase> {
  if ("file" in location && location.file) fs.mkdirSync(path.dirname(path.resolve(location.file)), { recursive: true });
  const settings = { logger: options.logger, busyTimeoutMs: options.busyTimeoutMs ?? defaultBusyTimeoutMs };
  return location.driver === "better-sqlite3" ? openBetterSqlite3(location, settings) : openLibsql(location, settings);
}

/**
 * Gives SQLite's query planner statistics of the data (`PRAGMA optimize`, SQLite's advice for a long-lived
 * connection: at open with 0x10002, then from time to time). Without them it chooses among indexes by their
 * shape alone, and at 5,000 patients it read every active link of the program for a supporter's own three
 * (9.8 ms of SQL on their home instead of 1.0). Each table is sampled (`analysis_limit`), so it takes under
 * a second on the largest program. A libSQL server keeps its own; only an embedded file is looked after.
 */
export async function refreshPlannerStatistics({ db, location }: Pick<OpenDatabase, "db" | "location">, when: "open" | "later") {
  if (location.driver === "libsql" && !location.file) return;
  await db.run(sql`PRAGMA analysis_limit = 400`);
  if (when === "later") return void (await db.run(sql`PRAGMA optimize`));
  // libSQL's engine (SQLite 3.45) predates optimize's 0x10000 ("every table, used yet or not"): a
  // database that was never analysed is analysed outright, as sampled as the rest.
  const analysed = (await db.all(sql`select 1 from sqlite_master where name = 'sqlite_stat1'`)).length > 0;
  await db.run(analysed ? sql`PRAGMA optimize = 0x10002` : sql`ANALYZE`);
}

type OpenOptions = { logger?: Logger; busyTimeoutMs?: number };
type Settings = { logger?: Logger; busyTimeoutMs: number };

/**
 * better-sqlite3 is synchronous and has one connection, so Drizzle reaches it through the proxy driver:
 * every statement passes the turnstile, and a transaction (BEGIN IMMEDIATE … COMMIT or ROLLBACK, run by
 * Drizzle's async transaction) holds it until it ends. Statements are prepared once and kept.
 */
function openBetterSqlite3(location: { file: string }, { logger, busyTimeoutMs }: Settings): OpenDatabase {
  const sqlite = new BetterSqlite3(location.file);
  for (const pragma of connectionPragmas(busyTimeoutMs)) sqlite.pragma(pragma);
  const turnstile = new Turnstile(busyTimeoutMs);
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const prepare = (source: string) => {
    let statement = prepared.get(source);
    if (!statement) {
      if (prepared.size >= 500) prepared.delete(prepared.keys().next().value!);
      statement = sqlite.prepare(source);
      prepared.set(source, statement);
    }
    return statement;
  };
  const execute = (source: string, params: unknown[], method: Parameters<AsyncRemoteCallback>[2]) => {
    const statement = prepare(source);
    if (!statement.reader) {
      statement.run(params);
      return { rows: [] };
    }
    statement.raw(true);
    return { rows: method === "get" ? statement.get(params) : statement.all(params) };
  };

  const inTransaction = drizzleProxy(
    async (source, params, method) => {
      if (!turnstile.held) throw new Error("A statement used a transaction after it had ended.");
      return execute(source, params as unknown[], method) as { rows: unknown[] };
    },
    { schema, logger },
  );
  const db = drizzleProxy(
    (source, params, method) => turnstile.statement(() => execute(source, params as unknown[], method) as { rows: unknown[] }),
    { schema, logger },
  );
  db.transaction = (work, config) =>
    turnstile.exclusive(() => inTransaction.transaction(work, { behavior: "immediate", ...config }));
  return { db, location: { driver: "better-sqlite3", ...location }, close: () => sqlite.close() };
}

/**
 * libSQL: a server (or Turso) runs its own transactions, so statements go straight to the client. An
 * embedded `file:` database gets one connection behind the same turnstile as better-sqlite3 (its engine is
 * synchronous too), and the pragmas are set again before each transaction, in case the client's pool had
 * to replace the connection after a failed rollback.
 */
async function openLibsql(
  location: { url: string; authToken?: string; file?: string },
  { logger, busyTimeoutMs }: Settings,
): Promise<OpenDatabase> {
  const embedded = Boolean(location.file);
  const client = createClient({
    url: location.url,
    authToken: location.authToken,
    intMode: "number",
    concurrency: embedded ? 1 : undefined,
  });
  if (!embedded) {
    return {
      db: drizzleLibsql({ client, schema, logger }),
      location: { driver: "libsql", ...location },
      close: () => client.close(),
    };
  }
  const pragmas = connectionPragmas(busyTimeoutMs)
    .map((pragma) => `PRAGMA ${pragma};`)
    .join("\n");
  const turnstile = new Turnstile(busyTimeoutMs);
  const gated = new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === "execute" || key === "batch" || key === "executeMultiple" || key === "migrate") {
        const method = value as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => turnstile.statement(() => method.apply(target, args));
      }
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) satisfies Client;
  const db = drizzleLibsql({ client: gated, schema, logger });
  const transaction = db.transaction.bind(db);
  db.transaction = (work, config) =>
    turnstile.exclusive(async () => {
      await client.executeMultiple(pragmas);
      return transaction(work, config);
    });
  await client.executeMultiple(pragmas);
  return { db, location: { driver: "libsql", ...location }, close: () => client.close() };
}
