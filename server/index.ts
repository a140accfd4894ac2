import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { prepareToServe } from "../app/startup.server";
import { createApp } from "./app";

/**
 * The production server, compiled to build/server.js by `npm run build`. It loads the built app once
 * and asks it to prepare (migrations, module library, demo data): the app's modules, and so the
 * database connection, exist in this process only as the build's copy.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
const entry = build.entry.module as unknown as { prepareToServe: typeof prepareToServe };
const config = await entry.prepareToServe(root);

const mailJobs = config.startMailJobs();
const statisticsRefresh = config.startStatisticsRefresh();
const checkpointer = config.startCheckpointer();
const app = createApp({
  build,
  db: config.db,
  trustProxy: config.trustProxy,
  logRequests: config.logRequests,
  afterChange: mailJobs.kick,
});
const server = app.listen(config.port, () => {
  console.log(`Care Circle is listening on ${config.appUrl}`);
  if (config.mailboxEnabled) console.log(`Mail is kept in the development mailbox: ${config.appUrl}/admin/mailbox`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () =>
    server.close(() => {
      statisticsRefresh.stop();
      void Promise.all([mailJobs.stop(), checkpointer?.stop()]).finally(() => {
        config.closeDatabase();
        process.exit(0);
      });
    }),
  );
}
