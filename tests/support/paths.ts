import path from "node:path";

export const projectRoot = path.resolve(__dirname, "../..");
/** One folder per Vitest run (vitest.config.ts names it), so that two runs at once never delete each other's files. */
export const testDatabaseDir = path.join(projectRoot, "tmp", "test-databases", process.env.TEST_RUN_ID ?? String(process.pid));
export const templateDatabasePath = path.join(testDatabaseDir, "template.db");
