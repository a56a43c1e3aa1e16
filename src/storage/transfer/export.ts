import { getTableName, type Table } from 'drizzle-orm';
import { columnsOf, type OpenedDb } from './open-url.js';

/** The first line of an export: what it is, so an import can refuse anything else. */
export const EXPORT_FORMAT = 'tollgate-export';
export const EXPORT_VERSION = 1;

const PAGE = 2000;

/**
 * Every table of an open database as JSON lines: a header, then one `{"table", "row"}` line per
 * row, the row as the storage ports see it (property names, times in Unix ms, booleans, money in
 * integer nano-dollars). Rows stream a page at a time; `write` resolves when the line may be
 * followed (back-pressure). Keys are stored as hashes only, so none is in the file.
 * Returns the row count per table.
 */
export async function exportDb(db: OpenedDb, write: (line: string) => Promise<void>): Promise<Record<string, number>> {
  await write(JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, dialect: db.dialect, tables: db.tables.map(getTableName) }));
  const counts: Record<string, number> = {};
  for (const t of db.tables) {
    const name = getTableName(t);
    const cols = columnsOf(t);
    counts[name] = 0;
    for await (const raw of rowsOf(db, t)) {
      const row: Record<string, unknown> = {};
      for (const c of cols) {
        const v = raw[c.name];
        row[c.key] = v === null || v === undefined ? null : c.col.mapFromDriverValue(v);
      }
      await write(JSON.stringify({ table: name, row }));
      counts[name]++;
    }
  }
  return counts;
}

/**
 * A table's rows in a stable order, a page at a time: by id after the last one seen where ids
 * are numbers (the ledger and audit log: millions of rows), else by every column with an offset.
 */
async function* rowsOf(db: OpenedDb, t: Table): AsyncGenerator<Record<string, unknown>> {
  const name = getTableName(t);
  const cols = columnsOf(t);
  const numericId = cols[0]?.name === 'id' && cols[0].col.dataType === 'number';
  const order = cols.map((c) => `"${c.name}"`).join(', ');
  const query = async (text: string) => (db.dialect === 'sqlite' ? (db.storage.sqlite.prepare(text).all() as Array<Record<string, unknown>>) : [...(await db.storage.client.unsafe(text))]);
  let last = -Infinity;
  for (let offset = 0; ; offset += PAGE) {
    const page = await query(
      numericId ? `SELECT * FROM "${name}" ${last === -Infinity ? '' : `WHERE "id" > ${last}`} ORDER BY "id" LIMIT ${PAGE}` : `SELECT * FROM "${name}" ORDER BY ${order} LIMIT ${PAGE} OFFSET ${offset}`,
    );
    yield* page;
    if (page.length < PAGE) return;
    if (numericId) last = Number(page.at(-1)!.id);
  }
}
