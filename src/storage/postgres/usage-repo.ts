import { and, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { dailyAnswers } from '../usage-daily.js';
import type { GroupBy, UsageFilter, UsageRepo } from '../usage-port.js';
import { GROUP_COLUMN, groupColumn, recordsWhere, usageWhere, type UsageSource } from '../where.js';
import type { PgDb } from './open.js';
import { apiKeys, usageDaily as d, usageRecords as u } from './schema/index.js';

type Table = typeof u | typeof d;

/** The grouping column; day, week (its Monday, date_trunc's ISO week) and month are UTC. */
function groupExpr(g: GroupBy, t: Table): SQL {
  // The time column as a UTC timestamp (time is Unix ms).
  const utc = sql`(to_timestamp(${t.time} / 1000.0) at time zone 'UTC')`;
  switch (g) {
    case 'day':
      return sql`to_char(${utc}, 'YYYY-MM-DD')`;
    case 'week':
      return sql`to_char(date_trunc('week', ${utc}), 'YYYY-MM-DD')`;
    case 'month':
      return sql`to_char(${utc}, 'YYYY-MM')`;
    default:
      return sql`${groupColumn(t, g)}`;
  }
}

// PostgreSQL's sum of bigint is numeric and count(*) bigint: both arrive as strings, read as exact integers below 2^53.
const count = () => sql<number>`count(*)`.mapWith(Number);
const sumOf = (e: SQL) => sql<number>`coalesce(sum(${e}), 0)`.mapWith(Number);
const nanos = () => sumOf(sql`${u.costNanos}`);

/** The raw rows, or the daily roll-up (../usage-daily.ts) when it gives the same answer. */
const source = (daily: boolean): UsageSource<Table> =>
  daily
    ? { table: d, requests: sumOf(sql`${d.requests}`), errors: sumOf(sql`${d.errors}`), input: sumOf(sql`${d.inputTokens}`), output: sumOf(sql`${d.outputTokens}`), nanos: sumOf(sql`${d.costNanos}`) }
    : { table: u, requests: count(), errors: sumOf(sql`case when ${u.status} >= 400 then 1 else 0 end`), input: sumOf(sql`${u.inputTokens}`), output: sumOf(sql`${u.outputTokens}`), nanos: nanos() };

const TIME: ReadonlySet<GroupBy | undefined> = new Set(['day', 'week', 'month']);

/** The roll-up summed per day and the plain columns grouped by, as a subquery source. */
function perDaySums(db: PgDb, filter: UsageFilter, dims: Array<GroupBy | undefined>): UsageSource<Table> {
  const plain = dims.filter((x): x is keyof typeof GROUP_COLUMN => x !== undefined && !TIME.has(x));
  const cols = Object.fromEntries(plain.map((p) => [GROUP_COLUMN[p], groupColumn(d, p)]));
  const inner = db
    .select({
      time: d.time,
      ...cols,
      requests: sql<number>`sum(${d.requests})`.as('requests'),
      input: sql<number>`sum(${d.inputTokens})`.as('input'),
      output: sql<number>`sum(${d.outputTokens})`.as('output'),
      nanos: sql<number>`sum(${d.costNanos})`.as('nanos'),
    })
    .from(d)
    .where(usageWhere(d, filter))
    .groupBy(d.time, ...(Object.values(cols) as Array<typeof d.teamId>))
    .as('per_day');
  return { table: inner as unknown as Table, requests: sumOf(sql`${inner.requests}`), errors: sql<number>`0`, input: sumOf(sql`${inner.input}`), output: sumOf(sql`${inner.output}`), nanos: sumOf(sql`${inner.nanos}`) };
}

/** The ledger's queries; sums are of integers in SQL (exact). */
export function pgUsageRepo(db: PgDb): UsageRepo {
  return {
    async groups(filter, groupBy, splitBy) {
      const daily = dailyAnswers(filter, groupBy, splitBy);
      // A time grouping over the roll-up: sum per day (and plain column) first, in integers, so the
      // day's text is made once per group, not once per roll-up row (half the time on 500k rows).
      const perDay = daily && [groupBy, splitBy].some((x) => x && TIME.has(x)) ? perDaySums(db, filter, [groupBy, splitBy]) : undefined;
      const src = perDay ?? source(daily);
      const g = groupExpr(groupBy, src.table);
      const s = splitBy ? groupExpr(splitBy, src.table) : sql`null::text`;
      return db
        .select({ group: sql<string | null>`${g}`, split: sql<string | null>`${s}`, requests: src.requests, input: src.input, output: src.output, nanos: src.nanos })
        .from(src.table as Table)
        .where(perDay ? undefined : usageWhere(src.table as Table, filter))
        .groupBy(sql`1`, sql`2`)
        // SQLite's order: NULL first, then text byte by byte (whatever the database's locale).
        .orderBy(sql`${g} collate "C" nulls first`, sql`${s} collate "C" nulls first`);
    },
    async records(filter) {
      return db
        .select({ record: u, keyPrefix: apiKeys.prefix })
        .from(u)
        .leftJoin(apiKeys, eq(apiKeys.id, u.keyId))
        .where(recordsWhere(u, filter))
        .orderBy(desc(u.id))
        .limit(filter.limit);
    },
    async totals(filter) {
      const { table, requests, errors, input, output, nanos } = source(dailyAnswers(filter));
      const rows = await db.select({ requests, errors, input, output, nanos }).from(table).where(usageWhere(table, filter));
      return rows[0]!;
    },
    async latencyAt(filter, offset) {
      const rows = await db.select({ v: u.latencyMs }).from(u).where(usageWhere(u, filter)).orderBy(u.latencyMs).limit(1).offset(offset);
      return rows[0]?.v;
    },
    async byRequestId(requestId) {
      return (await db.select().from(u).where(eq(u.requestId, requestId)))[0];
    },
    async spendSince(scope, id, since) {
      const f = scope === 'team' ? { teamId: id, from: since } : { keyId: id, from: since };
      const { table, nanos, input, output } = source(dailyAnswers(f));
      const [row] = await db.select({ nanos, input, output }).from(table).where(usageWhere(table, f));
      return { nanos: row!.nanos, tokens: row!.input + row!.output };
    },
    async teamSpendSince(since) {
      return db
        .select({ teamId: sql<string>`${u.teamId}`, nanos: nanos() })
        .from(u)
        .where(and(isNotNull(u.teamId), gte(u.time, since)))
        .groupBy(u.teamId)
        .orderBy(u.teamId);
    },
    async deleteOlderThan(cutoff, max) {
      const gone = await db
        .delete(u)
        .where(inArray(u.id, db.select({ id: u.id }).from(u).where(lt(u.time, cutoff)).limit(max)))
        .returning({ id: u.id });
      return gone.length;
    },
  };
}
