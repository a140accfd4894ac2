import { getTableColumns, sql, type Column as DrizzleColumn } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "#db/database";

/** SQLite allows 32,766 parameters per statement; staying well below keeps statements a moderate size. */
const parametersPerStatement = 8000;
const rowsPerStatementCap = 500;

type Insertable<T extends SQLiteTable> = T["$inferInsert"];
type Prepared = { run: (values: Record<string, unknown>) => Promise<unknown> };

/**
 * Many rows of one table written through the handle as multi-row INSERTs. Each statement is built with
 * numbered placeholders and prepared once per transaction and row count; the rows of every statement are
 * then handed over as one flat array, so neither Drizzle nor SQLite compile the same INSERT twice. Values
 * are converted by their column's own mapping (dates, booleans, JSON), here, because Drizzle would hand a
 * null to it. Every row gives the same columns, and none gives `undefined` (null instead).
 */
export class BulkInsert<T extends SQLiteTable, Column extends keyof Insertable<T> & string> {
  private readonly rowsPerStatement: number;
  private readonly encoders: DrizzleColumn[];
  private readonly prepared = new WeakMap<Database, Map<number, Prepared>>();

  constructor(
    private readonly table: T,
    private readonly columns: readonly Column[],
  ) {
    this.rowsPerStatement = Math.min(rowsPerStatementCap, Math.floor(parametersPerStatement / columns.length));
    const tableColumns = getTableColumns(table) as Record<string, DrizzleColumn>;
    this.encoders = columns.map((column) => tableColumns[column]!);
  }

  async insert(tx: Database, rows: readonly Pick<Insertable<T>, Column>[]) {
    for (let start = 0; start < rows.length; start += this.rowsPerStatement) {
      const chunk = rows.slice(start, start + this.rowsPerStatement);
      const values: unknown[] = [];
      for (const row of chunk) {
        this.columns.forEach((column, i) => {
          const value = row[column];
          values.push(value === null ? null : this.encoders[i]!.mapToDriverValue(value));
        });
      }
      await this.statement(tx, chunk.length).run(values as unknown as Record<string, unknown>);
    }
  }

  private statement(tx: Database, rowCount: number): Prepared {
    let byCount = this.prepared.get(tx);
    if (!byCount) {
      byCount = new Map();
      this.prepared.set(tx, byCount);
    }
    let statement = byCount.get(rowCount);
    if (!statement) {
      const template = Array.from({ length: rowCount }, (_, row) =>
        Object.fromEntries(
          this.columns.map((column, i) => [column, sql`${sql.placeholder(String(row * this.columns.length + i))}`]),
        ),
      );
      statement = tx
        .insert(this.table)
        .values(template as Insertable<T>[])
        .prepare();
      byCount.set(rowCount, statement);
    }
    return statement;
  }
}
