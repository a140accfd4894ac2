import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { migrateDatabase } from "#db/migrate";
import { env } from "~/env.server";
import { createApp } from "./app";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const config = env();

migrateDatabase(config.DATABASE_PATH);

// The education library is validated and published on every start, so an edited module goes live
// as a new version; a broken file stops the start with the file and the reason.
const { ModuleContentError, publishModuleLibrary, readModuleLibrary } = await import("~/models/module-content.server");
try {
  const { db } = await import("#db/client");
  const published = publishModuleLibrary(db, readModuleLibrary(path.join(root, "content/modules")));
  if (published > 0) console.log(`Published ${published} module version(s) to the library.`);
} catch (error) {
  if (!(error instanceof ModuleContentError)) throw error;
  console.error(error.message);
  process.exit(1);
}

if (config.demoEnabled) {
  const { seedDemoProgram, demoAccounts } = await import("#db/seed");
  const created = await seedDemoProgram(config.DEMO_PASSWORD);
  console.log(created ? "Seeded the demo program." : "Demo program already present.");
  const password = process.env.DEMO_PASSWORD ? "the DEMO_PASSWORD you set" : config.DEMO_PASSWORD;
  console.log(`Demo sign-ins, all with the password ${password}:`);
  for (const account of demoAccounts) console.log(`  ${account.role.padEnd(10)} ${account.email}`);
}

const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
const app = createApp({ build, trustProxy: config.TRUST_PROXY, logRequests: config.LOG_REQUESTS });

const server = app.listen(config.PORT, () => {
  console.log(`Care Circle is listening on ${config.appUrl}`);
  if (config.mailboxEnabled) console.log(`Mail is kept in the development mailbox: ${config.appUrl}/admin/mailbox`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
