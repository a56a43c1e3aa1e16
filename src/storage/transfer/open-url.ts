import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { isPostgresUrl } from '../open.js';
import { openPostgres, type PgStorage } from '../postgres/open.js';
import * as pgSchema from '../postgres/schema/index.js';
import { openStorage, type Storage } from '../sqlite/open.js';
import * as sqliteSchema from '../sqlite/schema/index.js';

/** A database named by a storage URL, opened (and migrated) for the `tollgate db` commands. */
export type OpenedDb =
  | { dialect: 'sqlite'; storage: Storage; tables: Table[]; close(): Promise<void> }
  | { dialect: 'postgres'; storage: PgStorage; tables: Table[]; close(): Promise<void> };

export { isPostgresUrl };

/**
 * The tables in the order an import must write them: teams before the keys that reference them,
 * every other table of the schema (so a new table is exported without a change here), and last
 * the usage records, then their daily roll-up (./import.ts: the roll-up is set after
 * the records' trigger has run).
 */
function ordered(schema: Record<string, unknown>): Table[] {
  const tables = Object.values(schema) as Table[];
  const first = ['teams', 'api_keys'];
  const last = ['usage_records', 'usage_daily'];
  const named = (names: string[]) => names.map((n) => tables.find((t) => getTableName(t) === n)!);
  return [...named(first), ...tables.filter((t) => ![...first, ...last].includes(getTableName(t))), ...named(last)];
}

export async function openUrl(url: string): Promise<OpenedDb> {
  if (isPostgresUrl(url)) {
    const storage = await openPostgres(url, { max: 2 });
    return { dialect: 'postgres', storage, tables: ordered(pgSchema), close: () => storage.close() };
  }
  const storage = openStorage(url);
  return { dialect: 'sqlite', storage, tables: ordered(sqliteSchema), close: async () => storage.close() };
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** A table's columns: the property name, the database column, and its driver → JS mapping. */
export function columnsOf(t: Table) {
  return Object.entries(getTableColumns(t)).map(([key, col]) => ({ key, name: col.name, col }));
}
