import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { AlertsRepo, RequestLogsRepo, SessionsRepo } from '../ports.js';
import { requestLogsWhere } from '../where.js';
import type { Storage } from './open.js';
import { alertDeliveries, apiKeys, requestLogs as r, uiSessions } from './schema/index.js';

/** Console sign-ins; the lookup is one prepared, indexed query (it runs on every console request). */
export function sqliteSessionsRepo({ db }: Storage): SessionsRepo {
  const byHash = db
    .select({
      kind: uiSessions.kind,
      keyId: uiSessions.keyId,
      teamId: uiSessions.teamId,
      expiresAt: uiSessions.expiresAt,
      revokedAt: uiSessions.revokedAt,
      keyHash: apiKeys.keyHash,
      keyPrefix: apiKeys.prefix,
      keyRevokedAt: apiKeys.revokedAt,
      keyExpiresAt: apiKeys.expiresAt,
    })
    .from(uiSessions)
    .leftJoin(apiKeys, eq(apiKeys.id, uiSessions.keyId))
    .where(eq(uiSessions.tokenHash, sql.placeholder('hash')))
    .prepare();
  return {
    async open(row, now) {
      db.delete(uiSessions).where(lt(uiSessions.expiresAt, now)).run();
      db.insert(uiSessions).values(row).run();
    },
    async find(tokenHash) {
      return byHash.get({ hash: tokenHash });
    },
    async close(tokenHash, at) {
      db.update(uiSessions).set({ revokedAt: at }).where(and(eq(uiSessions.tokenHash, tokenHash), sql`${uiSessions.revokedAt} is null`)).run();
    },
  };
}

export function sqliteAlertsRepo({ db }: Storage): AlertsRepo {
  return {
    async claim(row) {
      return db.insert(alertDeliveries).values(row).onConflictDoNothing().run().changes === 1;
    },
    async update(id, status, attempts, lastError) {
      db.update(alertDeliveries).set({ status, attempts, lastError }).where(eq(alertDeliveries.id, id)).run();
    },
    async abandon(id, attempts, lastError) {
      db.update(alertDeliveries)
        .set({ status: 'failed', attempts, lastError })
        .where(and(eq(alertDeliveries.id, id), eq(alertDeliveries.status, 'pending')))
        .run();
    },
  };
}

const summaryColumns = {
  requestId: r.requestId,
  time: r.time,
  teamId: r.teamId,
  keyId: r.keyId,
  kind: r.kind,
  model: r.model,
  status: r.status,
  requestTruncated: r.requestTruncated,
  responseTruncated: r.responseTruncated,
};

export function sqliteRequestLogsRepo({ db, sqlite }: Storage): RequestLogsRepo {
  // A prepared statement with positional values: drizzle's per-row mapping is skipped (booleans as 0/1 here).
  const insert = db
    .insert(r)
    .values({
      requestId: sql.placeholder('requestId'),
      time: sql.placeholder('time'),
      teamId: sql.placeholder('teamId'),
      keyId: sql.placeholder('keyId'),
      kind: sql.placeholder('kind'),
      model: sql.placeholder('model'),
      status: sql.placeholder('status'),
      requestBody: sql.placeholder('requestBody'),
      requestTruncated: sql.placeholder('requestTruncated'),
      responseBody: sql.placeholder('responseBody'),
      responseTruncated: sql.placeholder('responseTruncated'),
    })
    .onConflictDoNothing()
    .prepare();
  const insertAll = sqlite.transaction((rows: readonly Parameters<RequestLogsRepo['insert']>[0][number][]) => {
    for (const row of rows) insert.run({ ...row, requestTruncated: row.requestTruncated ? 1 : 0, responseTruncated: row.responseTruncated ? 1 : 0 });
  });
  return {
    async insert(rows) {
      insertAll(rows);
    },
    async list(q) {
      return db
        .select(summaryColumns)
        .from(r)
        .where(requestLogsWhere(r, q))
        .orderBy(desc(r.time), desc(r.requestId))
        .limit(q.limit)
        .all();
    },
    async get(requestId, teamId) {
      return db
        .select()
        .from(r)
        .where(and(eq(r.requestId, requestId), teamId !== undefined ? eq(r.teamId, teamId) : undefined))
        .get();
    },
    async deleteOlderThan(cutoff, max) {
      return db
        .delete(r)
        .where(inArray(r.requestId, db.select({ id: r.requestId }).from(r).where(lt(r.time, cutoff)).limit(max)))
        .run().changes;
    },
  };
}
