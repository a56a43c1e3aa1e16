/**
 * The storage ports: what the gateway asks of its database, as async repositories. The SQLite
 * implementation is ./sqlite/ (drizzle over better-sqlite3); a second dialect implements the same
 * interfaces and is chosen by the storage URL. Rows are plain values (times in Unix ms, JSON
 * columns as text): nothing here names a driver or a dialect.
 */
import type { UsageRecord } from '../metering/usage-record.js';

export type { UsageRecord };

export interface TeamRow {
  id: string;
  name: string;
  /** The limits object as the admin wrote it, JSON; null = no limits. */
  limits: string | null;
  createdAt: number;
  requestLogs: boolean;
}

export interface KeyRow {
  id: string;
  teamId: string;
  name: string;
  /** sha256(hex) of the key; the key itself is never stored. */
  keyHash: string;
  prefix: string;
  /** JSON array of model names / `prefix*` patterns; null = every model. */
  allowedModels: string | null;
  limits: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

/** One audit entry as stored (`detail`: JSON of before/after; never a key). */
export interface AuditInsert {
  time: number;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  detail: string | null;
}

export interface AuditRow extends AuditInsert {
  id: number;
}

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  actor?: string;
  from?: number;
  to?: number;
  limit: number;
  /** Entries older than this id. */
  before?: number;
}

export interface TeamsRepo {
  /** Oldest first. */
  list(): Promise<TeamRow[]>;
  get(id: string): Promise<TeamRow | undefined>;
  byName(name: string): Promise<TeamRow | undefined>;
  /** The team and its audit entry, in one transaction. */
  create(row: TeamRow, audit: AuditInsert): Promise<void>;
  update(id: string, patch: Partial<Omit<TeamRow, 'id' | 'createdAt'>>, audit: AuditInsert): Promise<void>;
}

export interface KeysRepo {
  /** By creation time (`desc`: newest first); only one team's, only unrevoked ones when asked. */
  list(opts: { teamId?: string; unrevoked?: boolean; order: 'asc' | 'desc' }): Promise<KeyRow[]>;
  get(id: string): Promise<KeyRow | undefined>;
  byHash(keyHash: string): Promise<KeyRow | undefined>;
  /** The key and its audit entry, in one transaction. */
  create(row: KeyRow, audit: AuditInsert): Promise<void>;
  revoke(id: string, at: number, audit: AuditInsert): Promise<void>;
}

export interface AuditRepo {
  append(entry: AuditInsert): Promise<void>;
  /** Newest first, `limit` rows at most. */
  list(filter: AuditFilter): Promise<AuditRow[]>;
}

/** A published prompt version (immutable; the primary key is name + version). */
export interface PromptVersionRow {
  name: string;
  version: string;
  /** The prompt file's text. */
  source: string;
  createdAt: number;
}

export interface PromptsRepo {
  list(): Promise<PromptVersionRow[]>;
  /** A name@version that exists already is left as it is (versions are immutable). */
  insert(row: PromptVersionRow): Promise<void>;
}

/** Rows are kept until they expire; a closed session keeps its row with `revokedAt` set. */
export interface SessionRow {
  tokenHash: string;
  kind: string;
  keyId: string | null;
  teamId: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A session and the key it was opened with (absent for the admin key or a deleted key). */
export interface SessionWithKey extends Omit<SessionRow, 'tokenHash' | 'createdAt'> {
  keyHash: string | null;
  keyPrefix: string | null;
  keyRevokedAt: number | null;
  keyExpiresAt: number | null;
}

export interface SessionsRepo {
  /** Deletes the sessions that expired before `now`, then inserts `row`. */
  open(row: SessionRow, now: number): Promise<void>;
  find(tokenHash: string): Promise<SessionWithKey | undefined>;
  /** Sets revokedAt on an open session (a closed one keeps its first time). */
  close(tokenHash: string, at: number): Promise<void>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface AlertDeliveryRow {
  id: string;
  time: number;
  scope: string;
  scopeId: string;
  kind: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
}

export interface AlertsRepo {
  /** Inserts unless the id exists; true when this call created the row. */
  claim(row: AlertDeliveryRow): Promise<boolean>;
  update(id: string, status: DeliveryStatus, attempts: number, lastError: string | null): Promise<void>;
  /** Marks the row failed if it is still pending. */
  abandon(id: string, attempts: number, lastError: string): Promise<void>;
}

export interface RequestLogRow {
  requestId: string;
  time: number;
  teamId: string | null;
  keyId: string | null;
  kind: string;
  model: string | null;
  status: number;
  requestBody: string | null;
  requestTruncated: boolean;
  responseBody: string | null;
  responseTruncated: boolean;
}

export type RequestLogSummaryRow = Omit<RequestLogRow, 'requestBody' | 'responseBody'>;

export interface RequestLogFilter {
  teamId?: string;
  keyId?: string;
  model?: string;
  kind?: string;
  status?: number;
  from?: number;
  to?: number;
  limit: number;
  /** The last row of the previous page (newest first: the next page is older). */
  after?: { time: number; id: string };
}

export interface RequestLogsRepo {
  /** In one transaction; a request id stored already is left as it is. */
  insert(rows: readonly RequestLogRow[]): Promise<void>;
  /** Newest first (time, then request id), `limit` rows at most, without bodies. */
  list(filter: RequestLogFilter): Promise<RequestLogSummaryRow[]>;
  get(requestId: string, teamId?: string): Promise<RequestLogRow | undefined>;
  /** Deletes at most `max` rows older than `cutoff`; returns how many went. */
  deleteOlderThan(cutoff: number, max: number): Promise<number>;
}

/**
 * A Responses API answer kept for `previous_response_id` and `GET /v1/responses/{id}` (`store`,
 * the default). A row belongs to one team: every read and delete names the team, so another
 * team's id is simply not found.
 */
export interface StoredResponseRow {
  /** The response's `resp_…` id. */
  id: string;
  /** The owning team; '' for callers without one (an open gateway). */
  teamId: string;
  /** Unix ms when it was kept (retention counts from here). */
  createdAt: number;
  model: string;
  /** JSON array: the input items the answer was made from (a continued response's history first). */
  inputItems: string;
  instructions: string | null;
  /** JSON array: the output items. */
  outputItems: string;
  /** JSON: the whole response object as the client received it. */
  response: string;
}

export interface ResponsesStore {
  /** Inserts, or replaces the team's row of the same id. */
  put(row: StoredResponseRow): Promise<void>;
  get(id: string, teamId: string): Promise<StoredResponseRow | undefined>;
  /** true when the team had the row. */
  delete(id: string, teamId: string): Promise<boolean>;
  /** Only the input items' JSON (the list endpoint reads nothing else). */
  listInputItems(id: string, teamId: string): Promise<string | undefined>;
  /** Deletes at most `max` rows kept before `cutoff`; returns how many went. */
  purgeOlderThan(cutoff: number, max: number): Promise<number>;
}

export * from './usage-port.js';

import type { UsageRepo } from './usage-port.js';

/** One open database: every repository, a health ping, and close. */
export interface Store {
  usage: UsageRepo;
  teams: TeamsRepo;
  keys: KeysRepo;
  audit: AuditRepo;
  prompts: PromptsRepo;
  sessions: SessionsRepo;
  alerts: AlertsRepo;
  requestLogs: RequestLogsRepo;
  responses: ResponsesStore;
  /** true when the database answers a trivial query. */
  ping(): Promise<boolean>;
}
