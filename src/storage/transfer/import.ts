import { getTableName, sql, type Table } from 'drizzle-orm';
import { EXPORT_FORMAT, EXPORT_VERSION } from './export.js';
import { columnsOf, type OpenedDb } from './open-url.js';

const BATCH = 500;

/** A problem with the file being imported (the CLI prints it as one line). */
export class ImportError extends Error {}

/**
 * Loads an export (./export.ts) into an open, migrated database, idempotently: a row whose key
 * is there already is left as it is, so running the same import twice changes nothing. Ids are
 * kept (record listings and the audit log page by them). Usage records go in before the daily
 * roll-up: the target's trigger adds each new record to its day, then every roll-up row is set
 * to the source's value — which also counts days whose raw records the source's retention had
 * deleted. Import into a database no gateway is writing to. Returns the rows read per table.
 */
export async function importDb(db: OpenedDb, lines: AsyncIterable<string>): Promise<Record<string, number>> {
  const tables = new Map(db.tables.map((t) => [getTableName(t), t]));
  const counts: Record<string, number> = {};
  let header = false;
  let lineNo = 0;
  let batch: { table: Table; rows: Record<string, unknown>[] } | undefined;
  const flush = async () => {
    if (batch?.rows.length) await insertRows(db, batch.table, batch.rows);
    batch = undefined;
  };
  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let item: { format?: unknown; version?: unknown; table?: unknown; row?: unknown };
    try {
      item = JSON.parse(line);
    } catch {
      throw new ImportError(`line ${lineNo}: not JSON`);
    }
    if (!header) {
      if (item.format !== EXPORT_FORMAT || item.version !== EXPORT_VERSION) throw new ImportError(`line 1: not a tollgate export (version ${EXPORT_VERSION}); make one with \`tollgate db export\``);
      header = true;
      continue;
    }
    const table = typeof item.table === 'string' ? tables.get(item.table) : undefined;
    if (!table || typeof item.row !== 'object' || item.row === null) throw new ImportError(`line ${lineNo}: expected {"table": <a table of this database>, "row": {…}}`);
    const name = getTableName(table);
    if (name === 'usage_records' && counts.usage_daily) throw new ImportError(`line ${lineNo}: usage records after the daily roll-up would be counted twice; export again with this version`);
    if (batch && batch.table !== table) await flush();
    batch ??= { table, rows: [] };
    batch.rows.push(item.row as Record<string, unknown>);
    counts[name] = (counts[name] ?? 0) + 1;
    if (batch.rows.length >= BATCH) await flush();
  }
  if (!header) throw new ImportError('empty file: not a tollgate export');
  await flush();
  if (db.dialect === 'postgres') await resetIdentities(db);
  return counts;
}

/** Only the table's own columns, absent ones as null. */
function pick(t: Table, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const keys = columnsOf(t).map((c) => c.key);
  return rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k] ?? null])));
}

const ROLLUP_KEY = ['time', 'team_id', 'key_id', 'model', 'provider'];

async function insertRows(db: OpenedDb, t: Table, input: Record<string, unknown>[]): Promise<void> {
  const rows = pick(t, input);
  const name = getTableName(t);
  const cols = columnsOf(t);
  if (name === 'usage_daily') {
    const sums = cols.filter((c) => !ROLLUP_KEY.includes(c.name));
    if (db.dialect === 'postgres') {
      const target = cols.filter((c) => ROLLUP_KEY.includes(c.name)).map((c) => c.col);
      // `as any`: one table of the dialect's schema, chosen at run time.
      await db.storage.db.insert(t as any).values(rows).onConflictDoUpdate({ target: target as any, set: Object.fromEntries(sums.map((c) => [c.key, sql.raw(`excluded."${c.name}"`)])) });
      return;
    }
    // SQLite's roll-up has no unique key (NULLs are distinct there): set the row found by IS, else add it.
    const where = ROLLUP_KEY.map((c) => `"${c}" IS ?`).join(' AND ');
    const update = db.storage.sqlite.prepare(`UPDATE usage_daily SET ${sums.map((c) => `"${c.name}" = ?`).join(', ')} WHERE ${where}`);
    const insert = db.storage.sqlite.prepare(`INSERT INTO usage_daily (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    const keyCols = ROLLUP_KEY.map((n) => cols.find((c) => c.name === n)!.key);
    db.storage.sqlite.transaction(() => {
      for (const r of rows) {
        if (update.run(...sums.map((c) => r[c.key]), ...keyCols.map((k) => r[k])).changes === 0) insert.run(...cols.map((c) => r[c.key]));
      }
    })();
    return;
  }
  if (db.dialect === 'postgres') {
    // Ids are kept: the identity columns take the file's values.
    await db.storage.db.insert(t as any).overridingSystemValue().values(rows).onConflictDoNothing();
  } else {
    // SQLite's booleans are 0/1 through drizzle's mapping; the values go in as they came.
    db.storage.db.insert(t as any).values(rows).onConflictDoNothing().run();
  }
}

/** Identity sequences continue after the imported ids (the next record or audit entry does not collide). */
async function resetIdentities(db: Extract<OpenedDb, { dialect: 'postgres' }>): Promise<void> {
  for (const t of db.tables) {
    const first = columnsOf(t)[0];
    if (first?.name !== 'id' || first.col.dataType !== 'number') continue;
    const name = getTableName(t);
    await db.storage.client.unsafe(`SELECT setval(pg_get_serial_sequence('"${name}"', 'id'), max(id)) FROM "${name}" HAVING max(id) IS NOT NULL`);
  }
}
