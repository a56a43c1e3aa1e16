import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Every admin action that changed something: who, what, on which object (never a key's value). */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Unix ms. */
  time: integer('time').notNull(),
  actor: text('actor').notNull(),
  /** `team.create`, `team.update`, `key.create`, `key.revoke`. */
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id').notNull(),
  /** JSON of the change (limits, names); never a key. */
  detail: text('detail'),
});
