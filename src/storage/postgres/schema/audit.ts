import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

/** Every admin action that changed something: who, what, on which object (never a key's value). */
export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** Unix ms. */
  time: bigint('time', { mode: 'number' }).notNull(),
  actor: text('actor').notNull(),
  /** `team.create`, `team.update`, `key.create`, `key.revoke`, … */
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id').notNull(),
  /** JSON of the change (limits, names); never a key. */
  detail: text('detail'),
});
