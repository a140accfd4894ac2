import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { templateDatabasePath, testDatabaseDir } from "./paths";

/**
 * Runs in the worker before each test file's own imports: the file gets its own copy of the migrated
 * template, so tests never touch the development or demo database, nor each other's rows.
 */
const file = path.join(testDatabaseDir, `test-${process.pid}-${crypto.randomUUID()}.db`);
fs.copyFileSync(templateDatabasePath, file);
process.env.DATABASE_PATH = file;
process.env.NODE_ENV = "test";
process.env.APP_URL = "http://care-circle.test";
delete process.env.SMTP_URL;
