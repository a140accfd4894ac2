import { afterAll } from "vitest";
import { databaseLocation, openDatabase } from "#db/database";

/**
 * This test file's own handle on its own database (the copy fresh-database.ts made), on the driver the
 * run asks for: `npm test` runs the suite once with better-sqlite3 and once with DATABASE_DRIVER=libsql.
 */
const handle = await openDatabase(databaseLocation());
afterAll(() => handle.close());

export const db = handle.db;
export const driver = handle.location.driver;
export const location = handle.location;
