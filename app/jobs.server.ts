import { Cron } from "croner";
import { refreshPlannerStatistics, type Database, type OpenDatabase } from "#db/database";
import { runMailJobs } from "~/models/notifications.server";

/** How often the server looks for events to tell of, digests due and mail to send or try again. */
const mailSchedule = "*/30 * * * * *";
const kickDelayMs = 250;

/**
 * The mail work inside the server (decision 023): on a schedule (croner), and soon after a request that
 * changed something (`kick`), so a notice goes out within a second, not half a minute later. A kick waits
 * a quarter of a second, so that the writes of a busy moment are told in one round rather than one round
 * each (at 100 check-ins a second, rounds ran back to back). One round runs at a time; a kick during a
 * round asks for one more. Several processes may run it: the rows they claim keep each mail and each
 * digest single.
 */
export function startMailJobs(db: Database) {
  let round: Promise<void> | null = null;
  let again = false;
  const run = () => {
    if (round) {
      again = true;
      return;
    }
    round = runMailJobs(db)
      .then(
        () => undefined,
        // The error's message may carry an address from the mail server: only its kind is logged.
        (error: unknown) =>
          console.error(`A round of the mail jobs failed (${error instanceof Error ? error.name : "unknown error"})`),
      )
      .finally(() => {
        round = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const schedule = new Cron(mailSchedule, { protect: true }, run);
  let kicked: NodeJS.Timeout | null = null;
  return {
    kick: () => {
      kicked ??= setTimeout(() => {
        kicked = null;
        run();
      }, kickDelayMs);
    },
    /** Stops the schedule and waits for the round under way, so the database can close after it. */
    stop: async () => {
      schedule.stop();
      if (kicked) clearTimeout(kicked);
      kicked = null;
      again = false;
      await round;
    },
  };
}

/** Hourly, as SQLite advises for a connection that stays open: the planner's statistics kept current. */
const statisticsSchedule = "0 23 * * * *";

export function startStatisticsRefresh(handle: Pick<OpenDatabase, "db" | "location">) {
  const schedule = new Cron(statisticsSchedule, { protect: true }, () =>
    refreshPlannerStatistics(handle, "later").catch((error: unknown) =>
      console.error(
        `Refreshing the query planner's statistics failed (${error instanceof Error ? error.name : "unknown error"})`,
      ),
    ),
  );
  return { stop: () => schedule.stop() };
}
