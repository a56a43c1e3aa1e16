import { and, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { dailyAnswers } from '../usage-daily.js';
import type { GroupBy, UsageRepo } from '../usage-port.js';
import { groupColumn, recordsWhere, usageWhere, type UsageSource } from '../where.js';
import type { Db } from './open.js';
import { apiKeys, usageDaily as d, usageRecords as u } from './schema/index.js';

type Table = typeof u | typeof d;

/** The grouping column. `day` is the UTC calendar day (SQLite's strftime; PostgreSQL: to_char). */
function groupExpr(g: GroupBy, t: Table): SQL {
  switch (g) {
    case 'day':
      return sql`strftime('%Y-%m-%d', ${t.time} / 1000, 'unixepoch')`;
    // The Monday the ISO week starts on (back six days, then forward to a Monday).
    case 'week':
      return sql`date(${t.time} / 1000, 'unixepoch', '-6 days', 'weekday 1')`;
    case 'month':
      return sql`strftime('%Y-%m', ${t.time} / 1000, 'unixepoch')`;
    default:
      return sql`${groupColumn(t, g)}`;
  }
}

const sumOf = (e: SQL) => sql<number>`coalesce(sum(${e}), 0)`.mapWith(Number);
const nanos = sumOf(sql`${u.costNanos}`);

/** The raw rows, or the daily roll-up (../usage-daily.ts) when it gives the same answer. */
const RAW: UsageSource<Table> = {
  table: u,
  requests: sql<number>`count(*)`.mapWith(Number),
  errors: sumOf(sql`case when ${u.status} >= 400 then 1 else 0 end`),
  input: sumOf(sql`${u.inputTokens}`),
  output: sumOf(sql`${u.outputTokens}`),
  nanos,
};
const DAILY: UsageSource<Table> = {
  table: d,
  requests: sumOf(sql`${d.requests}`),
  errors: sumOf(sql`${d.errors}`),
  input: sumOf(sql`${d.inputTokens}`),
  output: sumOf(sql`${d.outputTokens}`),
  nanos: sumOf(sql`${d.costNanos}`),
};

/** The ledger's queries; sums are of integers in SQL (exact). The inserts are ./ledger.ts. */
export function sqliteUsageRepo(db: Db): UsageRepo {
  return {
    async groups(filter, groupBy, splitBy) {
      const src = dailyAnswers(filter, groupBy, splitBy) ? DAILY : RAW;
      const g = groupExpr(groupBy, src.table);
      const s = splitBy ? groupExpr(splitBy, src.table) : sql`null`;
      return db
        .select({ group: sql<string | null>`${g}`, split: sql<string | null>`${s}`, requests: src.requests, input: src.input, output: src.output, nanos: src.nanos })
        .from(src.table)
        .where(usageWhere(src.table, filter))
        .groupBy(g, s)
        .orderBy(g, s)
        .all();
    },
    async records(filter) {
      return db
        .select({ record: u, keyPrefix: apiKeys.prefix })
        .from(u)
        .leftJoin(apiKeys, eq(apiKeys.id, u.keyId))
        .where(recordsWhere(u, filter))
        .orderBy(desc(u.id))
        .limit(filter.limit)
        .all();
    },
    async totals(filter) {
      const { table, requests, errors, input, output, nanos } = dailyAnswers(filter) ? DAILY : RAW;
      return db.select({ requests, errors, input, output, nanos }).from(table).where(usageWhere(table, filter)).get()!;
    },
    async latencyAt(filter, offset) {
      return db.select({ v: u.latencyMs }).from(u).where(usageWhere(u, filter)).orderBy(u.latencyMs).limit(1).offset(offset).get()?.v;
    },
    async byRequestId(requestId) {
      return db.select().from(u).where(eq(u.requestId, requestId)).get();
    },
    async spendSince(scope, id, since) {
      const f = scope === 'team' ? { teamId: id, from: since } : { keyId: id, from: since };
      const { table, nanos, input, output } = dailyAnswers(f) ? DAILY : RAW;
      const row = db.select({ nanos, input, output }).from(table).where(usageWhere(table, f)).get()!;
      return { nanos: row.nanos, tokens: row.input + row.output };
    },
    async teamSpendSince(since) {
      return db
        .select({ teamId: sql<string>`${u.teamId}`, nanos })
        .from(u)
        .where(and(isNotNull(u.teamId), gte(u.time, since)))
        .groupBy(u.teamId)
        .all();
    },
    async deleteOlderThan(cutoff, max) {
      return db
        .delete(u)
        .where(inArray(u.id, db.select({ id: u.id }).from(u).where(lt(u.time, cutoff)).limit(max)))
        .run().changes;
    },
  };
}
