import { defaultDatabasePath, openDatabase } from "./open";

export type { DB } from "./open";

const connection = openDatabase(process.env.DATABASE_PATH || defaultDatabasePath);

/** The process-wide connection, opened at DATABASE_PATH when this module is first imported. */
export const db = connection.db;
export const sqlite = connection.sqlite;
