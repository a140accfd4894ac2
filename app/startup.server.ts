import path from "node:path";
import { startCheckpointer } from "#db/checkpointer";
import { openDatabase, refreshPlannerStatistics } from "#db/database";
import { migrateDatabase } from "#db/migrate";
import { demoAccounts, seedDemoProgram } from "../scripts/demo-seed";
import { env } from "~/env.server";
import { startMailJobs, startStatisticsRefresh } from "~/jobs.server";
import { ModuleContentError, publishModuleLibrary, readModuleLibrary } from "~/models/module-content.server";

/**
 * What the server does once before it listens. It runs inside the built app (server/index.ts calls it
 * through the build's entry module), so the process holds one copy of the app. It opens the one
 * database handle, which the HTTP layer hands to every request in the load context. Returns what the
 * HTTP layer needs, or exits with a clear message when the start cannot go on.
 */
export async function prepareToServe(root: string) {
  const config = env();
  await migrateDatabase(config.database);
  const handle = await openDatabase(config.database);
  const { db, close } = handle;

  // The education library is validated and published on every start, so an edited module goes live
  // as a new version; a broken file stops the start with the file and the reason.
  try {
    const published = await publishModuleLibrary(db, readModuleLibrary(path.join(root, "content/modules")));
    if (published > 0) console.log(`Published ${published} module version(s) to the library.`);
  } catch (error) {
    if (!(error instanceof ModuleContentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  if (config.demoEnabled) {
    const created = await seedDemoProgram(db, config.DEMO_PASSWORD);
    console.log(created ? "Seeded the demo program." : "Demo program already present.");
    const password = process.env.DEMO_PASSWORD ? "the DEMO_PASSWORD you set" : config.DEMO_PASSWORD;
    console.log(`Demo sign-ins, all with the password ${password}:`);
    for (const account of demoAccounts) console.log(`  ${account.role.padEnd(10)} ${account.email}`);
  }

  await refreshPlannerStatistics(handle, "open");
  const embeddedFile = config.BACKGROUND_CHECKPOINTS === "on" ? handle.location.file : undefined;

  return {
    db,
    closeDatabase: close,
    startMailJobs: () => startMailJobs(db),
    startStatisticsRefresh: () => startStatisticsRefresh(handle),
    /** For an embedded file, unless turned off; a libSQL server checkpoints its own. */
    startCheckpointer: () => (embeddedFile ? startCheckpointer(embeddedFile) : null),
    port: config.PORT,
    appUrl: config.appUrl,
    trustProxy: config.TRUST_PROXY,
    logRequests: config.LOG_REQUESTS,
    mailboxEnabled: config.mailboxEnabled,
  };
}
