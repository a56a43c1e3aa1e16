import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AuditRepo, KeysRepo, PromptsRepo, TeamsRepo } from '../ports.js';
import { auditWhere } from '../where.js';
import type { Db } from './open.js';
import { apiKeys, auditLog, promptVersions, teams } from './schema/index.js';

export function sqliteTeamsRepo(db: Db): TeamsRepo {
  return {
    async list() {
      return db.select().from(teams).orderBy(teams.createdAt).all();
    },
    async get(id) {
      return db.select().from(teams).where(eq(teams.id, id)).get();
    },
    async byName(name) {
      return db.select().from(teams).where(eq(teams.name, name)).get();
    },
    async create(row, audit) {
      db.transaction((tx) => {
        tx.insert(teams).values(row).run();
        tx.insert(auditLog).values(audit).run();
      });
    },
    async update(id, patch, audit) {
      db.transaction((tx) => {
        tx.update(teams).set(patch).where(eq(teams.id, id)).run();
        tx.insert(auditLog).values(audit).run();
      });
    },
  };
}

export function sqliteKeysRepo(db: Db): KeysRepo {
  return {
    async list({ teamId, unrevoked, order }) {
      return db
        .select()
        .from(apiKeys)
        .where(and(teamId !== undefined ? eq(apiKeys.teamId, teamId) : undefined, unrevoked ? isNull(apiKeys.revokedAt) : undefined))
        .orderBy(order === 'desc' ? desc(apiKeys.createdAt) : apiKeys.createdAt)
        .all();
    },
    async get(id) {
      return db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
    },
    async byHash(keyHash) {
      return db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).get();
    },
    async create(row, audit) {
      db.transaction((tx) => {
        tx.insert(apiKeys).values(row).run();
        tx.insert(auditLog).values(audit).run();
      });
    },
    async revoke(id, at, audit) {
      db.transaction((tx) => {
        tx.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).run();
        tx.insert(auditLog).values(audit).run();
      });
    },
  };
}

export function sqliteAuditRepo(db: Db): AuditRepo {
  return {
    async append(entry) {
      db.insert(auditLog).values(entry).run();
    },
    async list(q) {
      return db
        .select()
        .from(auditLog)
        .where(auditWhere(auditLog, q))
        .orderBy(desc(auditLog.id))
        .limit(q.limit)
        .all();
    },
  };
}

export function sqlitePromptsRepo(db: Db): PromptsRepo {
  return {
    async list() {
      return db.select().from(promptVersions).all();
    },
    async insert(p) {
      db.insert(promptVersions).values({ name: p.name, version: p.version, source: p.source, createdAt: p.createdAt }).onConflictDoNothing().run();
    },
  };
}
