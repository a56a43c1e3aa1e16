import { GatewayError, invalidRequest, notFound } from '../engine/errors.js';
import type { Counters } from '../metering/limits/counters.js';
import { parseLimits } from '../metering/limits/limits.js';
import type { KeyRow, Store, TeamRow } from '../storage/ports.js';
import { auditRow } from './audit.js';
import type { AdminBus } from './bus.js';
import { generateKey, newId } from './key-material.js';
import { parseJson, type KeyStore } from './key-store.js';

export interface TeamView {
  id: string;
  name: string;
  limits: unknown;
  /** Request and response bodies of this team's requests are stored (request logs). */
  request_logs: boolean;
  created_at: string;
}

export interface KeyView {
  id: string;
  team_id: string;
  name: string;
  prefix: string;
  allowed_models: string[] | null;
  limits: unknown;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/**
 * The admin API's logic (docs/contract.md §4), independent of HTTP: validates input (400 naming the field,
 * 404 for an unknown team or key), writes through the storage ports, records every change in the audit
 * log, and makes the change visible to every instance before returning.
 */
export class AdminService {
  constructor(
    private readonly store: Pick<Store, 'teams' | 'keys'>,
    private readonly keys: KeyStore,
    private readonly bus: AdminBus,
    private readonly counters: Counters,
    private readonly now: () => number = Date.now,
    /** After teams or keys changed here (limits added: counters are seeded from the ledger). */
    private readonly afterChange: () => Promise<void> = async () => {},
  ) {}

  async createTeam(body: unknown, actor: string): Promise<TeamView> {
    const b = object(body);
    const name = requiredName(b.name, 'name');
    const limits = parseLimits(b.limits);
    known(b, TEAM_FIELDS);
    const requestLogs = b.request_logs === undefined ? false : flag(b.request_logs, 'request_logs');
    if (await this.store.teams.byName(name)) {
      throw conflict(`A team named "${name}" already exists.`);
    }
    const row = { id: newId('team'), name, limits: limits ? JSON.stringify(limits) : null, createdAt: this.now(), requestLogs };
    await this.store.teams.create(row, auditRow(this.now(), { actor, action: 'team.create', targetType: 'team', targetId: row.id, after: { name, limits, request_logs: requestLogs } }));
    await this.changed('teams', row.id);
    return teamView(row);
  }

  async listTeams(): Promise<TeamView[]> {
    return (await this.store.teams.list()).map(teamView);
  }

  async getTeam(id: string): Promise<TeamView> {
    const row = await this.store.teams.get(id);
    if (!row) throw notFound(`No team with id "${id}".`);
    return teamView(row);
  }

  async updateTeam(id: string, body: unknown, actor: string): Promise<TeamView> {
    const b = object(body);
    known(b, TEAM_FIELDS);
    const current = await this.getTeam(id);
    const patch: Partial<TeamRow> = {};
    if ('limits' in b) {
      const limits = parseLimits(b.limits);
      patch.limits = limits ? JSON.stringify(limits) : null;
    }
    if (b.name !== undefined) patch.name = requiredName(b.name, 'name');
    if (b.request_logs !== undefined) patch.requestLogs = flag(b.request_logs, 'request_logs');
    if (!Object.keys(patch).length) throw invalidRequest('Nothing to change: send "limits", "name" or "request_logs".', 'limits');
    // The fields this change touched, as they were and as they are now.
    // Named as in the API (request_logs, not the column's requestLogs).
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if ('name' in patch) [before.name, after.name] = [current.name, patch.name];
    if ('limits' in patch) [before.limits, after.limits] = [current.limits, patch.limits ? parseJson(patch.limits) : null];
    if ('requestLogs' in patch) [before.request_logs, after.request_logs] = [current.request_logs, patch.requestLogs];
    await this.store.teams.update(id, patch, auditRow(this.now(), { actor, action: 'team.update', targetType: 'team', targetId: id, before, after }));
    await this.changed('teams', id);
    return this.getTeam(id);
  }

  async createKey(body: unknown, actor: string): Promise<KeyView & { key: string }> {
    const b = object(body);
    known(b, ['team_id', 'name', 'limits', 'allowed_models', 'expires_at']);
    if (typeof b.team_id !== 'string' || !b.team_id) throw invalidRequest('team_id is required (the id of an existing team).', 'team_id');
    const team = await this.store.teams.get(b.team_id);
    if (!team) throw notFound(`No team with id "${b.team_id}".`);
    const name = b.name === undefined ? 'key' : requiredName(b.name, 'name');
    const limits = parseLimits(b.limits);
    let allowed: string[] | null = null;
    if (b.allowed_models !== undefined && b.allowed_models !== null) {
      if (!Array.isArray(b.allowed_models) || !b.allowed_models.every((m) => typeof m === 'string' && m.length > 0)) {
        throw invalidRequest('allowed_models must be an array of model names (a trailing * matches a prefix).', 'allowed_models');
      }
      allowed = b.allowed_models as string[];
    }
    let expiresAt: number | null = null;
    if (b.expires_at !== undefined && b.expires_at !== null) {
      expiresAt = typeof b.expires_at === 'string' ? Date.parse(b.expires_at) : NaN;
      if (!Number.isFinite(expiresAt)) throw invalidRequest('expires_at must be an ISO 8601 date-time, e.g. "2030-01-01T00:00:00Z".', 'expires_at');
    }
    const { key, hash, prefix } = generateKey();
    const row: KeyRow = {
      id: newId('key'),
      teamId: team.id,
      name,
      keyHash: hash,
      prefix,
      allowedModels: allowed ? JSON.stringify(allowed) : null,
      limits: limits ? JSON.stringify(limits) : null,
      expiresAt,
      revokedAt: null,
      createdAt: this.now(),
    };
    await this.store.keys.create(
      row,
      auditRow(this.now(), { actor, action: 'key.create', targetType: 'key', targetId: row.id, after: { team_id: team.id, name, prefix, limits, allowed_models: allowed, expires_at: iso(expiresAt) } }),
    );
    await this.changed('keys', row.id);
    return { ...keyView(row), key };
  }

  async listKeys(teamId?: string): Promise<KeyView[]> {
    return (await this.store.keys.list({ ...(teamId && { teamId }), order: 'desc' })).map(keyView);
  }

  /** Revokes at once: the database, the shared revoked set (checked atomically at admission), then every instance's map. */
  async revokeKey(id: string, actor: string): Promise<KeyView> {
    const row = await this.store.keys.get(id);
    if (!row) throw notFound(`No key with id "${id}".`);
    if (row.revokedAt === null) {
      const at = this.now();
      await this.store.keys.revoke(id, at, auditRow(at, { actor, action: 'key.revoke', targetType: 'key', targetId: id, before: { prefix: row.prefix, revoked_at: null }, after: { prefix: row.prefix, revoked_at: iso(at) } }));
      row.revokedAt = at;
    }
    await this.counters.revoke(id);
    await this.changed('keys', id);
    return keyView(row);
  }

  private async changed(type: 'keys' | 'teams', id: string): Promise<void> {
    await this.keys.reload();
    await this.afterChange();
    await this.bus.publish({ type, id });
  }
}

const TEAM_FIELDS = ['name', 'limits', 'request_logs'] as const;

function flag(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw invalidRequest(`${field} must be true or false.`, field);
  return v;
}

const conflict = (message: string) => new GatewayError({ status: 409, type: 'invalid_request_error', code: 'conflict', message, param: 'name' });

function object(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function known(b: Record<string, unknown>, fields: readonly string[]): void {
  for (const k of Object.keys(b)) if (!fields.includes(k)) throw invalidRequest(`Unknown field "${k}" (known: ${fields.join(', ')}).`, k);
}

function requiredName(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v.trim() || v.length > 200) throw invalidRequest(`${field} must be a non-empty string (200 characters at most).`, field);
  return v.trim();
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function teamView(r: TeamRow): TeamView {
  return { id: r.id, name: r.name, limits: parseJson(r.limits) ?? null, request_logs: r.requestLogs, created_at: iso(r.createdAt)! };
}

function keyView(r: KeyRow): KeyView {
  return {
    id: r.id,
    team_id: r.teamId,
    name: r.name,
    prefix: r.prefix,
    allowed_models: parseJson<string[]>(r.allowedModels) ?? null,
    limits: parseJson(r.limits) ?? null,
    expires_at: iso(r.expiresAt),
    revoked_at: iso(r.revokedAt),
    created_at: iso(r.createdAt)!,
  };
}
