import { invalidRequest } from '../engine/errors.js';
import { formatUsd, nanosToUsd } from '../metering/money.js';
import { GROUP_BY, type GroupBy, type Store, type UsageFilter } from '../storage/ports.js';

export { GROUP_BY, type GroupBy };

export interface UsageQuery extends UsageFilter {
  groupBy: GroupBy;
  /** A second dimension: one row per (group, split) pair, e.g. spend per day per team. */
  splitBy?: GroupBy;
}

export interface UsageTotals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** The exact sum, integer nano-dollars (cost_usd is this / 1e9, for display). */
  cost_nanos: number;
}

export type UsageRow = Record<string, string | number | null> & UsageTotals;

/**
 * `GET /admin/usage` and `/v1/usage` query parameters → a UsageQuery; 400 naming the parameter.
 * `from`/`to`: ISO dates or date-times (UTC when no zone); a bare date as `to` includes that day.
 */
export function parseUsageQuery(q: Record<string, unknown>): UsageQuery {
  const groupBy = (q.group_by ?? 'team') as GroupBy;
  if (!GROUP_BY.includes(groupBy)) throw invalidRequest(`group_by must be one of ${GROUP_BY.join(', ')}.`, 'group_by');
  const out: UsageQuery = { groupBy };
  if (q.split_by !== undefined && q.split_by !== '') {
    const splitBy = q.split_by as GroupBy;
    if (!GROUP_BY.includes(splitBy) || splitBy === groupBy) throw invalidRequest(`split_by must be one of ${GROUP_BY.join(', ')}, other than group_by.`, 'split_by');
    out.splitBy = splitBy;
  }
  if (q.team_id !== undefined) {
    if (typeof q.team_id !== 'string' || !q.team_id) throw invalidRequest('team_id must be a team id.', 'team_id');
    out.teamId = q.team_id;
  }
  const keyId = textParam(q.key_id, 'key_id');
  const model = textParam(q.model, 'model');
  const provider = textParam(q.provider, 'provider');
  if (keyId !== undefined) out.keyId = keyId;
  if (model !== undefined) out.model = model;
  if (provider !== undefined) out.provider = provider;
  setTimeRange(out, q);
  return out;
}

/**
 * An optional whole-number query value from `min` to `max`; undefined when absent. Digits only,
 * checked before Number(): `1e400`, `0x10`, ` 5`, `5.0` and repeated parameters are refused.
 */
export function intParam(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^\d{1,16}$/.test(v) || Number(v) < min || Number(v) > max) throw invalidRequest(`${name} must be a whole number from ${min} to ${max}.`, name);
  return Number(v);
}

/** An optional exact-match filter: one non-empty value of at most 300 characters. */
export function textParam(v: unknown, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > 300) throw invalidRequest(`${name} must be one value of at most 300 characters.`, name);
  return v;
}

/** `from` (inclusive) and `to` (exclusive; a bare date as `to` includes that day) onto a query; absent ones stay absent. */
export function setTimeRange(out: { from?: number; to?: number }, q: Record<string, unknown>): void {
  const from = parseTimeParam(q.from, 'from', false);
  const to = parseTimeParam(q.to, 'to', true);
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
}

/** An ISO 8601 date (a `to` date means the end of that UTC day) or date-time (UTC unless it names an offset) → Unix ms. */
export function parseTimeParam(v: unknown, name: string, endOfDay: boolean): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw invalidRequest(`${name} must be an ISO 8601 date or date-time.`, name);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const ms = Date.parse(dateOnly ? `${v}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
  if (!Number.isFinite(ms)) throw invalidRequest(`${name} must be an ISO 8601 date or date-time (got "${v}").`, name);
  return dateOnly && endOfDay ? ms + 86_400_000 : ms;
}

/** Sums are of integers in the database (exact); money stays micro-dollars until the one conversion for display. */
export async function usageReport(store: Pick<Store, 'usage'>, q: UsageQuery): Promise<{ data: UsageRow[]; total: UsageTotals }> {
  const { groupBy, splitBy, ...filter } = q;
  const rows = await store.usage.groups(filter, groupBy, splitBy);
  const total = { requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, cost_nanos: 0 };
  const data = rows.map((r) => {
    total.requests += r.requests;
    total.input_tokens += r.input;
    total.output_tokens += r.output;
    total.cost_nanos += r.nanos;
    return { [q.groupBy]: r.group, ...(q.splitBy && { [q.splitBy]: r.split }), ...totals(r.requests, r.input, r.output, r.nanos) } as UsageRow;
  });
  total.cost_usd = nanosToUsd(total.cost_nanos);
  return { data, total };
}

const totals = (requests: number, input: number, output: number, nanos: number): UsageTotals => ({
  requests,
  input_tokens: input,
  output_tokens: output,
  cost_usd: nanosToUsd(nanos),
  cost_nanos: nanos,
});

/** The same report as CSV (RFC 4180): one row per group (and split), cost as exact 6-decimal text. */
export function usageCsv(groupBy: GroupBy, report: { data: UsageRow[] }, splitBy?: GroupBy): string {
  const dims = splitBy ? [groupBy, splitBy] : [groupBy];
  const lines = [[...dims, 'requests', 'input_tokens', 'output_tokens', 'cost_usd'].join(',')];
  for (const r of report.data) {
    lines.push([...dims.map((d) => csvText(String(r[d] ?? ''))), r.requests, r.input_tokens, r.output_tokens, formatUsd(r.cost_nanos)].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * A text cell. One a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first:
 * CSV injection) gets a leading `'` (OWASP) and is quoted; quotes, commas and line breaks are
 * quoted (RFC 4180). Group values (model names, …) may be chosen by clients. The numeric
 * columns are written as numbers, never through here.
 */
function csvText(v: string): string {
  const formula = /^[=+\-@\t\r]/.test(v);
  const s = formula ? `'${v}` : v;
  return formula || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
