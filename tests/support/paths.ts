import path from "node:path";
import { fileURLToPath } from "node:url";

/** From the module's own address, so that scripts run by tsx (no `__dirname` in ES modules) can import it too. */
export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
/** One folder per Vitest run (vitest.config.ts names it), so that two runs at once never delete each other's files. */
export const testDatabaseDir = path.join(projectRoot, "tmp", "test-databases", process.env.TEST_RUN_ID ?? String(process.pid));
export const templateDatabasePath = path.join(testDatabaseDir, "template.db");
