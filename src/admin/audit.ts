import type { AuditFilter, AuditInsert, AuditRepo, AuditRow } from '../storage/ports.js';
import { intParam, setTimeRange, textParam } from './usage-report.js';

/**
 * The audit trail: every admin action that changed something — who, when, on what, and what
 * changed (`before`/`after` of the fields it touched). Key values and key hashes are never part
 * of it (a new key's prefix is); configured secrets never are (a config reload records which
 * sections changed, not their values).
 */
export interface AuditEntry {
  actor: string;
  /** `team.create`, `team.update`, `key.create`, `key.revoke`, `prompt.publish`, `config.reload`. */
  action: string;
  targetType: 'team' | 'key' | 'prompt' | 'config';
  targetId: string;
  before?: unknown;
  after?: unknown;
}

/** The insert for one entry; callers run it inside the transaction of the change it records. */
export function auditRow(time: number, e: AuditEntry): AuditInsert {
  return {
    time,
    actor: e.actor,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    detail: JSON.stringify({ ...(e.before !== undefined && { before: e.before }), ...(e.after !== undefined && { after: e.after }) }),
  };
}

export function recordAudit(audit: AuditRepo, time: number, e: AuditEntry): Promise<void> {
  return audit.append(auditRow(time, e));
}

/** `before`: entries older than this id (the previous page's `next_cursor`). */
export type AuditQuery = AuditFilter;

const TEXT_FILTERS = { action: 'action', target_type: 'targetType', target_id: 'targetId', actor: 'actor' } as const;

export function parseAuditQuery(q: Record<string, unknown>): AuditQuery {
  const out: AuditQuery = { limit: intParam(q.limit, 'limit', 1, 1000) ?? 100 };
  for (const [param, field] of Object.entries(TEXT_FILTERS)) {
    const v = textParam(q[param], param);
    if (v !== undefined) out[field] = v;
  }
  setTimeRange(out, q);
  const before = intParam(q.cursor, 'cursor', 1, Number.MAX_SAFE_INTEGER);
  if (before !== undefined) out.before = before;
  return out;
}

export interface AuditView {
  id: number;
  time: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  before?: unknown;
  after?: unknown;
  /** Entries written before before/after existed (2026-12-02 and earlier): the change as recorded then. */
  detail?: unknown;
}

/** Newest first; `next_cursor` pages further back (null on the last page). */
export async function listAudit(audit: AuditRepo, q: AuditQuery): Promise<{ data: AuditView[]; next_cursor: string | null }> {
  const rows = await audit.list({ ...q, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return { data: page.map(view), next_cursor: rows.length > q.limit ? String(page.at(-1)!.id) : null };
}

function view(r: AuditRow): AuditView {
  const detail = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null;
  const base = { id: r.id, time: new Date(r.time).toISOString(), actor: r.actor, action: r.action, target_type: r.targetType, target_id: r.targetId };
  if (detail && ('before' in detail || 'after' in detail)) return { ...base, ...('before' in detail && { before: detail.before }), ...('after' in detail && { after: detail.after }) };
  return { ...base, detail };
}
