import { invalidRequest } from '../engine/errors.js';
import { nanosToUsd } from '../metering/money.js';
import type { RequestLogFilter, RequestLogSummaryRow, Store } from '../storage/ports.js';
import { intParam, parseTimeParam } from './usage-report.js';

export const REQUEST_LOG_KINDS = ['chat', 'completions', 'messages', 'embeddings', 'prompt', 'responses'] as const;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export type RequestLogQuery = RequestLogFilter;

const PARAMS = ['team_id', 'key_id', 'model', 'kind', 'status', 'from', 'to', 'limit', 'cursor'];
/** Latest date a JavaScript Date can hold (±8.64e15 ms): larger numbers are refused, not wrapped. */
const MAX_MS = 8.64e15;

/**
 * `GET /admin/requests` and `/v1/requests` query parameters → a RequestLogQuery; 400 naming the
 * parameter for anything else: an unknown or repeated parameter, a limit outside 1–500, a status
 * that is not an HTTP status, a `from`/`to` that is neither an ISO 8601 date(-time) nor whole
 * Unix milliseconds, a cursor this API did not hand out.
 */
export function parseRequestLogQuery(q: Record<string, unknown>): RequestLogQuery {
  for (const k of Object.keys(q)) {
    if (!PARAMS.includes(k)) throw invalidRequest(`Unknown query parameter "${k}" (known: ${PARAMS.join(', ')}).`, k);
    if (typeof q[k] !== 'string') throw invalidRequest(`${k} must be given once.`, k);
  }
  const v = q as Record<string, string | undefined>;
  const out: RequestLogQuery = { limit: DEFAULT_LIMIT };
  for (const [param, field] of [['team_id', 'teamId'], ['key_id', 'keyId'], ['model', 'model']] as const) {
    const s = v[param];
    if (s === undefined) continue;
    if (!s || s.length > 300) throw invalidRequest(`${param} must be a non-empty string of at most 300 characters.`, param);
    out[field] = s;
  }
  if (v.kind !== undefined) {
    if (!(REQUEST_LOG_KINDS as readonly string[]).includes(v.kind)) throw invalidRequest(`kind must be one of ${REQUEST_LOG_KINDS.join(', ')}.`, 'kind');
    out.kind = v.kind;
  }
  const status = intParam(v.status, 'status', 100, 599);
  if (status !== undefined) out.status = status;
  out.limit = intParam(v.limit, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  const from = time(v.from, 'from', false);
  const to = time(v.to, 'to', true);
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  if (v.cursor !== undefined) out.after = decodeCursor(v.cursor);
  return out;
}

function time(s: string | undefined, name: string, endOfDay: boolean): number | undefined {
  if (s === undefined || s === '') return undefined;
  if (/^\d+$/.test(s)) {
    const ms = s.length <= 16 ? Number(s) : Infinity;
    if (ms > MAX_MS) throw invalidRequest(`${name} as Unix milliseconds must be at most ${MAX_MS}.`, name);
    return ms;
  }
  return parseTimeParam(s, name, endOfDay);
}

export function encodeCursor(time: number, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

function decodeCursor(s: string): { time: number; id: string } {
  const bad = () => invalidRequest('cursor must be the next_cursor of a previous page.', 'cursor');
  if (s.length > 600 || !/^[A-Za-z0-9_-]+$/.test(s)) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(v) || v.length !== 2 || !Number.isSafeInteger(v[0]) || typeof v[1] !== 'string' || v[1].length > 300) throw bad();
  return { time: v[0] as number, id: v[1] };
}

export interface RequestLogSummary {
  id: string;
  object: 'request_log';
  time: string;
  team_id: string | null;
  key_id: string | null;
  kind: string;
  model: string | null;
  status: number;
  request_truncated: boolean;
  response_truncated: boolean;
}

export interface RequestLogDetail extends RequestLogSummary {
  request_body: string | null;
  response_body: string | null;
  /** The request's usage record (tokens, cost, latency), when the ledger has it. */
  usage: Record<string, unknown> | null;
}

/** One page, newest first, without bodies (a page of bodies could be `limit` × `max_body_bytes`). */
export async function listRequestLogs(store: Pick<Store, 'requestLogs'>, q: RequestLogQuery): Promise<{ object: 'list'; data: RequestLogSummary[]; has_more: boolean; next_cursor: string | null }> {
  const rows = await store.requestLogs.list({ ...q, limit: q.limit + 1 });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return { object: 'list', data: page.map(summary), has_more: more, next_cursor: more && last ? encodeCursor(last.time, last.requestId) : null };
}

/** One stored request with its bodies; `teamId` set = only if it belongs to that team (else undefined, as if absent). */
export async function getRequestLog(store: Pick<Store, 'requestLogs' | 'usage'>, id: string, teamId?: string): Promise<RequestLogDetail | undefined> {
  const row = await store.requestLogs.get(id, teamId);
  if (!row) return undefined;
  const rec = await store.usage.byRequestId(id);
  return {
    ...summary(row),
    request_body: row.requestBody,
    response_body: row.responseBody,
    usage: rec
      ? {
          provider: rec.provider,
          requested_model: rec.requestedModel,
          input_tokens: rec.inputTokens,
          output_tokens: rec.outputTokens,
          cost_usd: nanosToUsd(rec.costNanos),
          cost_nanos: rec.costNanos,
          latency_ms: rec.latencyMs,
          attempts: rec.attempts,
        }
      : null,
  };
}

function summary(row: RequestLogSummaryRow): RequestLogSummary {
  return {
    id: row.requestId,
    object: 'request_log',
    time: new Date(row.time).toISOString(),
    team_id: row.teamId,
    key_id: row.keyId,
    kind: row.kind,
    model: row.model,
    status: row.status,
    request_truncated: row.requestTruncated,
    response_truncated: row.responseTruncated,
  };
}
