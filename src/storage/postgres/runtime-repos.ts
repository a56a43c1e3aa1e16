import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { AlertsRepo, RequestLogsRepo, SessionsRepo } from '../ports.js';
import { requestLogsWhere } from '../where.js';
import type { PgDb } from './open.js';
import { alertDeliveries, apiKeys, requestLogs as r, uiSessions } from './schema/index.js';

/** Console sign-ins; the lookup is one indexed query with its key joined. */
export function pgSessionsRepo(db: PgDb): SessionsRepo {
  return {
    async open(row, now) {
      await db.delete(uiSessions).where(lt(uiSessions.expiresAt, now));
      await db.insert(uiSessions).values(row);
    },
    async find(tokenHash) {
      const rows = await db
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
        .where(eq(uiSessions.tokenHash, tokenHash));
      return rows[0];
    },
    async close(tokenHash, at) {
      await db
        .update(uiSessions)
        .set({ revokedAt: at })
        .where(and(eq(uiSessions.tokenHash, tokenHash), isNull(uiSessions.revokedAt)));
    },
  };
}

export function pgAlertsRepo(db: PgDb): AlertsRepo {
  return {
    async claim(row) {
      const created = await db.insert(alertDeliveries).values(row).onConflictDoNothing().returning({ id: alertDeliveries.id });
      return created.length === 1;
    },
    async update(id, status, attempts, lastError) {
      await db.update(alertDeliveries).set({ status, attempts, lastError }).where(eq(alertDeliveries.id, id));
    },
    async abandon(id, attempts, lastError) {
      await db
        .update(alertDeliveries)
        .set({ status: 'failed', attempts, lastError })
        .where(and(eq(alertDeliveries.id, id), eq(alertDeliveries.status, 'pending')));
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

export function pgRequestLogsRepo(db: PgDb): RequestLogsRepo {
  return {
    async insert(rows) {
      // One multi-row statement: atomic on its own.
      if (rows.length) await db.insert(r).values([...rows]).onConflictDoNothing();
    },
    async list(q) {
      return db
        .select(summaryColumns)
        .from(r)
        .where(requestLogsWhere(r, q))
        .orderBy(desc(r.time), desc(r.requestId))
        .limit(q.limit);
    },
    async get(requestId, teamId) {
      const rows = await db
        .select()
        .from(r)
        .where(and(eq(r.requestId, requestId), teamId !== undefined ? eq(r.teamId, teamId) : undefined));
      return rows[0];
    },
    async deleteOlderThan(cutoff, max) {
      const gone = await db
        .delete(r)
        .where(inArray(r.requestId, db.select({ id: r.requestId }).from(r).where(lt(r.time, cutoff)).limit(max)))
        .returning({ id: r.requestId });
      return gone.length;
    },
  };
}
