import fs from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../../db/migrate";
import { openDatabase } from "../../db/database";
import { publishModuleLibrary, readModuleLibrary } from "../../app/models/module-content.server";
import { templateDatabasePath, testDatabaseDir } from "./paths";

/**
 * Migrates one template database and publishes the module library into it, as the server does on
 * start; every test file starts from a copy of it (docs/decisions/004-test-databases.md).
 */
export default async function setup() {
  fs.rmSync(testDatabaseDir, { recursive: true, force: true });
  fs.mkdirSync(testDatabaseDir, { recursive: true });
  await migrateDatabase(templateDatabasePath);
  const { db, close } = await openDatabase({ driver: "better-sqlite3", file: templateDatabasePath });
  try {
    await publishModuleLibrary(db, readModuleLibrary(path.resolve(__dirname, "../../content/modules")));
  } finally {
    close();
  }
  return () => fs.rmSync(testDatabaseDir, { recursive: true, force: true });
}
