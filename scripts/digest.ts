/**
 * One round of the mail work, for an outside scheduler (cron, a systemd timer) when the server's own
 * job is not wanted, or to catch up after downtime: decides new events, sends the daily digests that
 * are due, and sends (or tries again) what waits in the outbox. Safe beside a running server and
 * beside another run: each event, digest and mail is claimed before it is sent.
 *   npm run digest
 * For example, every ten minutes: *\/10 * * * * cd /srv/care-circle && npm run digest
 */
import { openDatabase } from "#db/database";
import { migrateDatabase } from "#db/migrate";
import { env } from "~/env.server";
import { runMailJobs } from "~/models/notifications.server";

const location = env().database;
await migrateDatabase(location);
const { db, close } = await openDatabase(location);
try {
  const done = await runMailJobs(db);
  console.log(`Events decided: ${done.decided}. Digests made: ${done.digests}. Mails sent: ${done.sent}.`);
} finally {
  close();
}
