import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { startCheckpointer } from "#db/checkpointer";
import { testDatabaseDir } from "../support/paths";

/**
 * The server's background checkpointer: the write-ahead log is copied back into the file by a worker
 * thread, so the log stays small though the serving connection never checkpoints.
 */
const scratch = path.join(testDatabaseDir, `checkpointer-${process.pid}`);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Writes 60 transactions of about 64 KiB each, pausing now and then as a server between requests. */
async function write(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // The serving connection must not checkpoint by itself in this test.
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE IF NOT EXISTS notes (body BLOB)");
  const insert = db.prepare("INSERT INTO notes (body) VALUES (randomblob(65536))");
  for (let i = 0; i < 60; i++) {
    insert.run();
    if (i % 10 === 9) await sleep(120);
  }
  const walBytes = fs.statSync(`${file}-wal`).size;
  const rows = db.prepare("SELECT count(*) FROM notes").pluck().get();
  db.close();
  return { walBytes, rows };
}

describe("the background checkpointer", () => {
  it("keeps the log small while the serving connection writes, and leaves every row in place", async () => {
    fs.mkdirSync(scratch, { recursive: true });
    const alone = path.join(scratch, "alone.db");
    const helped = path.join(scratch, "helped.db");
    new Database(alone).close();
    new Database(helped).close();

    const withoutIt = await write(alone);
    const checkpointer = startCheckpointer(helped, 25);
    const withIt = await write(helped);
    await checkpointer.stop();

    // Without a checkpoint the log holds all 60 transactions (about 4 MiB); with it, the writer restarts the log.
    expect(withoutIt.walBytes).toBeGreaterThan(60 * 65536);
    expect(withIt.walBytes).toBeLessThan(withoutIt.walBytes / 3);
    expect(withIt.rows).toBe(60);
    const reopened = new Database(helped, { readonly: true });
    expect(reopened.pragma("integrity_check", { simple: true })).toBe("ok");
    reopened.close();
  });

  it("stops cleanly when asked twice", async () => {
    fs.mkdirSync(scratch, { recursive: true });
    const file = path.join(scratch, "twice.db");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.close();
    const checkpointer = startCheckpointer(file, 25);
    await checkpointer.stop();
    await expect(checkpointer.stop()).resolves.toBeUndefined();
  });
});
