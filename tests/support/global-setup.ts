import fs from "node:fs";
import { migrateDatabase } from "../../db/migrate";
import { templateDatabasePath, testDatabaseDir } from "./paths";

/** Migrates one template database; every test file starts from a copy of it (docs/decisions/004-test-databases.md). */
export default function setup() {
  fs.rmSync(testDatabaseDir, { recursive: true, force: true });
  fs.mkdirSync(testDatabaseDir, { recursive: true });
  migrateDatabase(templateDatabasePath);
  return () => fs.rmSync(testDatabaseDir, { recursive: true, force: true });
}
