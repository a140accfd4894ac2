import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseLocation } from "#db/database";
import { runCrashCycles } from "../support/crash-cycles";
import { testDatabaseDir } from "../support/paths";

/**
 * The compiled server killed with SIGKILL while patients write over HTTP, five times, on the driver
 * this run uses: nothing acknowledged is lost, the file stays sound, every link keeps one current
 * consent. `npm run soak` does the same a hundred times on each driver.
 */
describe("a server killed in the middle of writes", () => {
  it(
    "comes back with every acknowledged write, a sound database and one current consent per link",
    { timeout: 120_000 },
    async () => {
      const report = await runCrashCycles({
        directory: path.join(testDatabaseDir, `crash-${process.pid}`),
        driver: databaseLocation().driver,
        cycles: 5,
        writers: 4,
        killAfterMs: [100, 800],
      });
      expect(report.failures).toEqual([]);
      expect(report.acknowledged.checkIns).toBeGreaterThan(0);
      expect(report.acknowledged.consents).toBeGreaterThan(0);
      expect(report.verified).toBe(report.acknowledged.checkIns + report.acknowledged.consents);
    },
  );
});
