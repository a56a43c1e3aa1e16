import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AuditRepo, KeysRepo, PromptsRepo, TeamsRepo } from '../ports.js';
import { auditWhere } from '../where.js';
import type { PgDb } from './open.js';
import { apiKeys, auditLog, promptVersions, teams } from './schema/index.js';

export function pgTeamsRepo(db: PgDb): TeamsRepo {
  return {
    async list() {
      return db.select().from(teams).orderBy(teams.createdAt);
    },
    async get(id) {
      return (await db.select().from(teams).where(eq(teams.id, id)))[0];
    },
    async byName(name) {
      return (await db.select().from(teams).where(eq(teams.name, name)))[0];
    },
    async create(row, audit) {
      await db.transaction(async (tx) => {
        await tx.insert(teams).values(row);
        await tx.insert(auditLog).values(audit);
      });
    },
    async update(id, patch, audit) {
      await db.transaction(async (tx) => {
        await tx.update(teams).set(patch).where(eq(teams.id, id));
        await tx.insert(auditLog).values(audit);
      });
    },
  };
}

export function pgKeysRepo(db: PgDb): KeysRepo {
  return {
    async list({ teamId, unrevoked, order }) {
      return db
        .select()
        .from(apiKeys)
        .where(and(teamId !== undefined ? eq(apiKeys.teamId, teamId) : undefined, unrevoked ? isNull(apiKeys.revokedAt) : undefined))
        .orderBy(order === 'desc' ? desc(apiKeys.createdAt) : apiKeys.createdAt);
    },
    async get(id) {
      return (await db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
    },
    async byHash(keyHash) {
      return (await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)))[0];
    },
    async create(row, audit) {
      await db.transaction(async (tx) => {
        await tx.insert(apiKeys).values(row);
        await tx.insert(auditLog).values(audit);
      });
    },
    async revoke(id, at, audit) {
      await db.transaction(async (tx) => {
        await tx.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id));
        await tx.insert(auditLog).values(audit);
      });
    },
  };
}

export function pgAuditRepo(db: PgDb): AuditRepo {
  return {
    async append(entry) {
      await db.insert(auditLog).values(entry);
    },
    async list(q) {
      return db
        .select()
        .from(auditLog)
        .where(auditWhere(auditLog, q))
        .orderBy(desc(auditLog.id))
        .limit(q.limit);
    },
  };
}

export function pgPromptsRepo(db: PgDb): PromptsRepo {
  return {
    async list() {
      return db.select().from(promptVersions);
    },
    async insert(p) {
      await db.insert(promptVersions).values({ name: p.name, version: p.version, source: p.source, createdAt: p.createdAt }).onConflictDoNothing();
    },
  };
}
