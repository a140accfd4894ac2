import { addDays, calendarDateIn, instantAt } from "~/utils/dates";
import { db } from "./database";

/** `time` tomorrow in `timeZone`: after every event a test has written; at noon, outside the default quiet hours. */
export function tomorrowAt(timeZone: string, time = "12:00") {
  return instantAt(timeZone, addDays(calendarDateIn(timeZone), 1), time);
}

/**
 * Runs the notifier until every event written so far is decided, as the server's job would. Imported
 * when called, so that a test's SMTP_URL (set with `vi.stubEnv` after `vi.resetModules`) is the one used.
 */
export async function notifyAll(now: Date) {
  const { notifyEvents } = await import("~/models/notifications.server");
  while ((await notifyEvents(db, now)) > 0);
}
