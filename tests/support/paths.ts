import path from "node:path";

export const projectRoot = path.resolve(__dirname, "../..");
export const testDatabaseDir = path.join(projectRoot, "tmp", "test-databases");
export const templateDatabasePath = path.join(testDatabaseDir, "template.db");
