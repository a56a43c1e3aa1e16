import { invalidRequest } from '../engine/errors.js';
import { nanosToUsd } from '../metering/money.js';
import type { RecordsFilter, Store, UsageFilter } from '../storage/ports.js';
import { intParam, setTimeRange, textParam } from './usage-report.js';

/** `GET /admin/usage/records` and `/v1/usage/records`: the newest usage records, filtered, a page at a time (`before`: the previous page's `next_cursor`). */
export type RecordsQuery = RecordsFilter;

export interface RecordView {
  id: number;
  request_id: string;
  time: string;
  team_id: string | null;
  key_id: string | null;
  key_prefix: string | null;
  kind: string;
  provider: string | null;
  model: string | null;
  requested_model: string | null;
  prompt: string | null;
  prompt_version: string | null;
  route: string | null;
  status: number;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
  cost_usd: number;
  estimated: boolean;
  cached: boolean;
  attempts: number;
}

/** Query parameters → a RecordsQuery; a bad value is a 400 naming it. */
export function parseRecordsQuery(q: Record<string, unknown>): RecordsQuery {
  const out: RecordsQuery = { limit: 50 };
  for (const [param, field] of [['team_id', 'teamId'], ['key_id', 'keyId'], ['model', 'model'], ['provider', 'provider'], ['kind', 'kind']] as const) {
    const v = textParam(q[param], param);
    if (v !== undefined) out[field] = v;
  }
  setTimeRange(out, q);
  if (q.status !== undefined && q.status !== '') {
    const s = q.status;
    if (s === 'ok' || s === 'error') out.status = s;
    else if (typeof s === 'string' && /^[1-5]\d\d$/.test(s)) out.status = Number(s);
    else throw invalidRequest('status must be ok, error or an HTTP status code (100–599).', 'status');
  }
  out.limit = intParam(q.limit, 'limit', 1, 500) ?? 50;
  const before = intParam(q.cursor, 'cursor', 1, Number.MAX_SAFE_INTEGER);
  if (before !== undefined) out.before = before;
  return out;
}

/** Newest first, by id (the ledger's insertion order); `next_cursor` is null on the last page. Uses the time and team indexes. */
export async function listRecords(store: Pick<Store, 'usage'>, q: RecordsQuery): Promise<{ data: RecordView[]; next_cursor: string | null }> {
  const rows = await store.usage.records({ ...q, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const data = page.map(({ record: r, keyPrefix: prefix }) => ({
    id: r.id,
    request_id: r.requestId,
    time: new Date(r.time).toISOString(),
    team_id: r.teamId,
    key_id: r.keyId,
    key_prefix: prefix ?? null,
    kind: r.kind,
    provider: r.provider,
    model: r.model,
    requested_model: r.requestedModel,
    prompt: r.promptName,
    prompt_version: r.promptVersion,
    route: r.route,
    status: r.status,
    latency_ms: r.latencyMs,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cost_nanos: r.costNanos,
    cost_usd: nanosToUsd(r.costNanos),
    estimated: r.estimated,
    cached: r.cached === true,
    attempts: r.attempts,
  }));
  return { data, next_cursor: rows.length > q.limit ? String(page.at(-1)!.record.id) : null };
}

/** `GET /admin/usage/summary`: the Overview's figures for one filter — totals, errors, latency percentiles. */
export interface UsageSummary {
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
  cost_usd: number;
  /** Nearest-rank percentiles of the recorded latency (ms, whole request); null without requests. */
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

export async function usageSummary(store: Pick<Store, 'usage'>, q: UsageFilter): Promise<UsageSummary> {
  const t = await store.usage.totals(q);
  const rank = async (p: number) => {
    if (!t.requests) return null;
    const offset = Math.max(0, Math.ceil((p / 100) * t.requests) - 1);
    return (await store.usage.latencyAt(q, offset)) ?? null;
  };
  return {
    requests: t.requests,
    errors: t.errors,
    input_tokens: t.input,
    output_tokens: t.output,
    cost_nanos: t.nanos,
    cost_usd: nanosToUsd(t.nanos),
    latency_p50_ms: await rank(50),
    latency_p95_ms: await rank(95),
  };
}
