/** Raised when a statement or transaction waited longer than the busy timeout for an open transaction. */
export class DatabaseBusyError extends Error {
  constructor(waitedMs: number) {
    super(`The database stayed busy with another transaction for ${waitedMs} ms.`);
    this.name = "DatabaseBusyError";
  }
}

/**
 * One embedded connection runs one transaction at a time, and a statement issued while a
 * transaction is open would run inside it. So an open transaction owns the connection: every other
 * statement and transaction waits its turn, in arrival order, until it commits or rolls back. A wait
 * longer than `busyTimeoutMs` fails (as SQLite's own busy timeout does) instead of hanging: that is
 * also what a statement issued on the handle from inside a transaction's own callback gets.
 */
export class Turnstile {
  #held = false;
  #waiting: (() => void)[] = [];

  constructor(private readonly busyTimeoutMs: number) {}

  /** Whether a transaction (or a statement that had to queue) holds the connection right now. */
  get held() {
    return this.#held;
  }

  /** One statement: at once when nothing is open, otherwise after everything ahead of it. */
  async statement<T>(run: () => T | Promise<T>): Promise<T> {
    if (!this.#held && this.#waiting.length === 0) return run();
    return this.exclusive(run);
  }

  /** Holds the connection for the whole of `run`, after everything queued before it. */
  async exclusive<T>(run: () => T | Promise<T>): Promise<T> {
    if (this.#held || this.#waiting.length > 0) await this.#turn();
    else this.#held = true;
    try {
      return await run();
    } finally {
      this.#release();
    }
  }

  #turn() {
    return new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(wake), 1);
        reject(new DatabaseBusyError(Date.now() - started));
      }, this.busyTimeoutMs);
      timer.unref();
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiting.push(wake);
    });
  }

  #release() {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}
