import { and, eq, gte, lt, or, type Column, type SQL } from 'drizzle-orm';
import type { AuditFilter, RequestLogFilter } from './ports.js';
import type { GroupBy, RecordsFilter, UsageFilter } from './usage-port.js';

/**
 * The port filters as WHERE conditions, shared by every dialect: drizzle's operators render per
 * dialect, so each backend passes its own table's columns.
 */
type Cols<K extends string> = Record<K, Column>;

/** The usage grouping that is a plain column (the time groupings are per dialect). */
export const GROUP_COLUMN = { team: 'teamId', key: 'keyId', model: 'model', provider: 'provider', prompt: 'promptName', route: 'route' } as const satisfies Partial<Record<GroupBy, string>>;

/** A table usage sums are read from (the raw rows or the daily roll-up) and its aggregates. */
export interface UsageSource<T> {
  table: T;
  requests: SQL<number>;
  errors: SQL<number>;
  input: SQL<number>;
  output: SQL<number>;
  nanos: SQL<number>;
}

/** The plain grouping column of a usage table (the roll-up has no prompt or route: callers check dailyAnswers first). */
export function groupColumn(table: object, g: keyof typeof GROUP_COLUMN): Column {
  const c = (table as Partial<Record<string, Column>>)[GROUP_COLUMN[g]];
  if (!c) throw new Error(`usage: this table has no ${g} column`);
  return c;
}

export function usageWhere(u: Cols<'teamId' | 'keyId' | 'model' | 'provider' | 'time'>, q: UsageFilter): SQL | undefined {
  return and(
    q.teamId !== undefined ? eq(u.teamId, q.teamId) : undefined,
    q.keyId !== undefined ? eq(u.keyId, q.keyId) : undefined,
    q.model !== undefined ? eq(u.model, q.model) : undefined,
    q.provider !== undefined ? eq(u.provider, q.provider) : undefined,
    q.from !== undefined ? gte(u.time, q.from) : undefined,
    q.to !== undefined ? lt(u.time, q.to) : undefined,
  );
}

export function recordsWhere(u: Cols<'teamId' | 'keyId' | 'model' | 'provider' | 'time' | 'status' | 'kind' | 'id'>, q: RecordsFilter): SQL | undefined {
  const status = q.status === 'ok' ? lt(u.status, 400) : q.status === 'error' ? gte(u.status, 400) : q.status !== undefined ? eq(u.status, q.status) : undefined;
  return and(usageWhere(u, q), status, q.kind !== undefined ? eq(u.kind, q.kind) : undefined, q.before !== undefined ? lt(u.id, q.before) : undefined);
}

export function requestLogsWhere(r: Cols<'teamId' | 'keyId' | 'model' | 'kind' | 'status' | 'time' | 'requestId'>, q: RequestLogFilter): SQL | undefined {
  return and(
    q.teamId !== undefined ? eq(r.teamId, q.teamId) : undefined,
    q.keyId !== undefined ? eq(r.keyId, q.keyId) : undefined,
    q.model !== undefined ? eq(r.model, q.model) : undefined,
    q.kind !== undefined ? eq(r.kind, q.kind) : undefined,
    q.status !== undefined ? eq(r.status, q.status) : undefined,
    q.from !== undefined ? gte(r.time, q.from) : undefined,
    q.to !== undefined ? lt(r.time, q.to) : undefined,
    q.after ? or(lt(r.time, q.after.time), and(eq(r.time, q.after.time), lt(r.requestId, q.after.id))) : undefined,
  );
}

export function auditWhere(a: Cols<'action' | 'targetType' | 'targetId' | 'actor' | 'time' | 'id'>, q: AuditFilter): SQL | undefined {
  return and(
    q.action ? eq(a.action, q.action) : undefined,
    q.targetType ? eq(a.targetType, q.targetType) : undefined,
    q.targetId ? eq(a.targetId, q.targetId) : undefined,
    q.actor ? eq(a.actor, q.actor) : undefined,
    q.from !== undefined ? gte(a.time, q.from) : undefined,
    q.to !== undefined ? lt(a.time, q.to) : undefined,
    q.before !== undefined ? lt(a.id, q.before) : undefined,
  );
}
