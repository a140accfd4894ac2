import fs from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../../db/migrate";
import { openDatabase } from "../../db/open";
import { publishModuleLibrary, readModuleLibrary } from "../../app/models/module-content.server";
import { templateDatabasePath, testDatabaseDir } from "./paths";

/**
 * Migrates one template database and publishes the module library into it, as the server does on
 * start; every test file starts from a copy of it (docs/decisions/004-test-databases.md).
 */
export default function setup() {
  fs.rmSync(testDatabaseDir, { recursive: true, force: true });
  fs.mkdirSync(testDatabaseDir, { recursive: true });
  migrateDatabase(templateDatabasePath);
  const { sqlite, db } = openDatabase(templateDatabasePath);
  try {
    publishModuleLibrary(db, readModuleLibrary(path.resolve(__dirname, "../../content/modules")));
  } finally {
    sqlite.close();
  }
  return () => fs.rmSync(testDatabaseDir, { recursive: true, force: true });
}
