import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * Copies the write-ahead log back into the database file from a worker thread with its own connection,
 * so that no request pays for it. Left to SQLite, the connection that commits when the log passes its
 * threshold checkpoints inline: at 5,000 patients one commit in fifty took 24 ms instead of 0.07 (random
 * writes into a 1.7 GiB file and its fsync), which was most of the cost of recording a check-in. A PASSIVE
 * checkpoint waits for nobody: readers and the writer go on while it runs (see below for when the log keeps
 * growing). The serving connection keeps a high threshold of its own (`wal_autocheckpoint` in database.ts)
 * in case this thread stops or falls behind.
 */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { fileMustExist: true });
// Never wait: a RESTART waits holding every writer back. One that finds a reader or writer busy is
// simply tried again on a later tick.
db.pragma("busy_timeout = 0");
const checkpoint = () => {
  try {
    const [{ log }] = db.pragma("wal_checkpoint(PASSIVE)");
    // Under steady writes the log is never wholly copied between two commits, so it would only grow:
    // past a few thousand pages, a RESTART copies the last frames (the passive pass did the rest) while
    // holding the writer back for that moment, so that the next commit starts the log from the beginning.
    if (log >= workerData.restartFrames) db.pragma("wal_checkpoint(RESTART)");
  } catch (error) {
    parentPort.postMessage(String(error.code || error.name));
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export type Checkpointer = { stop: () => Promise<void> };

export function startCheckpointer(file: string, intervalMs = 200): Checkpointer {
  const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { file: path.resolve(file), driverPath, intervalMs, restartFrames: 4000 },
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  // A busy or failed checkpoint is tried again on the next tick; the serving connection's threshold is the backstop.
  worker.on("message", (code: string) => console.error(`A background checkpoint failed (${code})`));
  worker.on("error", (error) => console.error(`The background checkpointer stopped (${error.name})`));
  return {
    stop: async () => {
      if (!exited) worker.postMessage("stop");
      await exit;
    },
  };
}
