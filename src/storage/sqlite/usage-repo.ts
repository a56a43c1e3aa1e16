import { and, desc, eq, gte, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { GroupBy, UsageRepo } from '../usage-port.js';
import { GROUP_COLUMN, recordsWhere, usageWhere } from '../where.js';
import type { Db } from './open.js';
import { apiKeys, usageRecords as u } from './schema/index.js';

/** The grouping column. `day` is the UTC calendar day (SQLite's strftime; PostgreSQL: to_char). */
function groupExpr(g: GroupBy): SQL {
  switch (g) {
    case 'day':
      return sql`strftime('%Y-%m-%d', ${u.time} / 1000, 'unixepoch')`;
    // The Monday the ISO week starts on (back six days, then forward to a Monday).
    case 'week':
      return sql`date(${u.time} / 1000, 'unixepoch', '-6 days', 'weekday 1')`;
    case 'month':
      return sql`strftime('%Y-%m', ${u.time} / 1000, 'unixepoch')`;
    default:
      return sql`${u[GROUP_COLUMN[g]]}`;
  }
}

const nanos = sql<number>`coalesce(sum(${u.costNanos}), 0)`.mapWith(Number);
const tokens = sql<number>`coalesce(sum(${u.inputTokens} + ${u.outputTokens}), 0)`.mapWith(Number);

/** The ledger's queries; sums are of integers in SQL (exact). The inserts are ./ledger.ts. */
export function sqliteUsageRepo(db: Db): UsageRepo {
  return {
    async groups(filter, groupBy, splitBy) {
      const g = groupExpr(groupBy);
      const s = splitBy ? groupExpr(splitBy) : sql`null`;
      return db
        .select({
          group: sql<string | null>`${g}`,
          split: sql<string | null>`${s}`,
          requests: sql<number>`count(*)`.mapWith(Number),
          input: sql<number>`coalesce(sum(${u.inputTokens}), 0)`.mapWith(Number),
          output: sql<number>`coalesce(sum(${u.outputTokens}), 0)`.mapWith(Number),
          nanos,
        })
        .from(u)
        .where(usageWhere(u, filter))
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
      return db
        .select({
          requests: sql<number>`count(*)`.mapWith(Number),
          errors: sql<number>`coalesce(sum(case when ${u.status} >= 400 then 1 else 0 end), 0)`.mapWith(Number),
          input: sql<number>`coalesce(sum(${u.inputTokens}), 0)`.mapWith(Number),
          output: sql<number>`coalesce(sum(${u.outputTokens}), 0)`.mapWith(Number),
          nanos,
        })
        .from(u)
        .where(usageWhere(u, filter))
        .get()!;
    },
    async latencyAt(filter, offset) {
      return db.select({ v: u.latencyMs }).from(u).where(usageWhere(u, filter)).orderBy(u.latencyMs).limit(1).offset(offset).get()?.v;
    },
    async byRequestId(requestId) {
      return db.select().from(u).where(eq(u.requestId, requestId)).get();
    },
    async spendSince(scope, id, since) {
      const col = scope === 'team' ? u.teamId : u.keyId;
      return db
        .select({ nanos, tokens })
        .from(u)
        .where(and(eq(col, id), gte(u.time, since)))
        .get()!;
    },
    async teamSpendSince(since) {
      return db
        .select({ teamId: sql<string>`${u.teamId}`, nanos })
        .from(u)
        .where(and(isNotNull(u.teamId), gte(u.time, since)))
        .groupBy(u.teamId)
        .all();
    },
  };
}
