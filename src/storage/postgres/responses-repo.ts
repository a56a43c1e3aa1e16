import { and, eq, inArray, lt } from 'drizzle-orm';
import type { ResponsesStore } from '../ports.js';
import type { PgDb } from './open.js';
import { storedResponses as t } from './schema/index.js';

/** Stored Responses API answers; every read and delete is by team and id (the primary key). */
export function pgResponsesStore(db: PgDb): ResponsesStore {
  const mine = (id: string, teamId: string) => and(eq(t.teamId, teamId), eq(t.id, id));
  return {
    async put(row) {
      await db.insert(t).values(row).onConflictDoUpdate({ target: [t.teamId, t.id], set: row });
    },
    async get(id, teamId) {
      return (await db.select().from(t).where(mine(id, teamId)))[0];
    },
    async delete(id, teamId) {
      return (await db.delete(t).where(mine(id, teamId)).returning({ id: t.id })).length === 1;
    },
    async listInputItems(id, teamId) {
      return (await db.select({ items: t.inputItems }).from(t).where(mine(id, teamId)))[0]?.items;
    },
    async purgeOlderThan(cutoff, max) {
      const old = db.select({ id: t.id }).from(t).where(lt(t.createdAt, cutoff)).limit(max);
      return (await db.delete(t).where(and(lt(t.createdAt, cutoff), inArray(t.id, old))).returning({ id: t.id })).length;
    },
  };
}
