import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";
import * as schema from "#db/schema";

/**
 * Every row that belongs to some people and programs, found by following the schema's foreign keys
 * from them: a row is theirs when a foreign key of it points at a row of theirs (a membership of
 * the program, a check-in of the patient, an answer to that check-in…). Taken before and after a
 * test, the two snapshots must be equal when nothing was allowed to touch them. New tables are
 * followed without editing this file, as long as they declare their foreign keys.
 */
export type Owners = { programs?: string[]; people?: string[]; memberships?: string[] };

/** Table name to its rows (as JSON, sorted), for `expect(after).toEqual(before)` to show what changed. */
export type OwnedRows = Record<string, string[]>;

type TableInfo = {
  name: string;
  table: SQLiteTable;
  /** The property of a row holding its single-column primary key, if it has one. */
  key?: string;
  /** Each foreign key of one column: the row property and the table it points at. */
  references: { property: string; table: string }[];
};

function tablesOfSchema(): TableInfo[] {
  const tables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, Table));
  return tables.map((table) => {
    const propertyOf = new Map(Object.entries(getTableColumns(table)).map(([property, column]) => [column.name, property]));
    const config = getTableConfig(table);
    const primary = config.columns.filter((column) => column.primary);
    const references = config.foreignKeys.flatMap((foreignKey) => {
      const { columns, foreignTable } = foreignKey.reference();
      return columns.length === 1 ? [{ property: propertyOf.get(columns[0]!.name)!, table: getTableName(foreignTable) }] : [];
    });
    return {
      name: config.name,
      table,
      key: primary.length === 1 ? propertyOf.get(primary[0]!.name) : undefined,
      references,
    };
  });
}

export async function ownedRows(db: Database, owners: Owners): Promise<OwnedRows> {
  const tables = tablesOfSchema();
  const allRows = new Map<string, Record<string, unknown>[]>();
  for (const info of tables) allRows.set(info.name, await db.select().from(info.table).all());

  const ownedKeys = new Map<string, Set<unknown>>(tables.map((info) => [info.name, new Set<unknown>()]));
  for (const id of owners.programs ?? []) ownedKeys.get("programs")!.add(id);
  for (const id of owners.people ?? []) ownedKeys.get("people")!.add(id);
  for (const id of owners.memberships ?? []) ownedKeys.get("memberships")!.add(id);
  const owned = new Map<string, Set<Record<string, unknown>>>(tables.map((info) => [info.name, new Set()]));

  // Until nothing new is found: rows pointing at owned rows are owned, and so are rows pointing at those.
  for (let grew = true; grew;) {
    grew = false;
    for (const info of tables) {
      const keys = ownedKeys.get(info.name)!;
      for (const row of allRows.get(info.name)!) {
        if (owned.get(info.name)!.has(row)) continue;
        const isSeed = info.key !== undefined && keys.has(row[info.key]);
        const pointsAtOwned = info.references.some(({ property, table }) => ownedKeys.get(table)?.has(row[property]));
        if (!isSeed && !pointsAtOwned) continue;
        owned.get(info.name)!.add(row);
        if (info.key !== undefined) keys.add(row[info.key]);
        grew = true;
      }
    }
  }

  const snapshot: OwnedRows = {};
  for (const [name, rows] of owned) snapshot[name] = [...rows].map((row) => JSON.stringify(row)).sort();
  return snapshot;
}
