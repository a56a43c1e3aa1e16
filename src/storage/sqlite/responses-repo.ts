import { and, eq, inArray, lt } from 'drizzle-orm';
import type { ResponsesStore } from '../ports.js';
import type { Db } from './open.js';
import { storedResponses as t } from './schema/index.js';

/** Stored Responses API answers; every read and delete is by team and id (the primary key). */
export function sqliteResponsesStore(db: Db): ResponsesStore {
  const mine = (id: string, teamId: string) => and(eq(t.teamId, teamId), eq(t.id, id));
  return {
    async put(row) {
      db.insert(t).values(row).onConflictDoUpdate({ target: [t.teamId, t.id], set: row }).run();
    },
    async get(id, teamId) {
      return db.select().from(t).where(mine(id, teamId)).get();
    },
    async delete(id, teamId) {
      return db.delete(t).where(mine(id, teamId)).run().changes === 1;
    },
    async listInputItems(id, teamId) {
      return db.select({ items: t.inputItems }).from(t).where(mine(id, teamId)).get()?.items;
    },
    async purgeOlderThan(cutoff, max) {
      // Both conditions: an id is unique per team only, and only old rows may go.
      const old = db.select({ id: t.id }).from(t).where(lt(t.createdAt, cutoff)).limit(max);
      return db.delete(t).where(and(lt(t.createdAt, cutoff), inArray(t.id, old))).run().changes;
    },
  };
}
