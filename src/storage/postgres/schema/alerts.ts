import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';

/** One row per alert raised (the id names budget/window, threshold and period): raised once across instances. */
export const alertDeliveries = pgTable('alert_deliveries', {
  id: text('id').primaryKey(),
  /** Unix ms when raised. */
  time: bigint('time', { mode: 'number' }).notNull(),
  scope: text('scope').notNull(),
  scopeId: text('scope_id').notNull(),
  kind: text('kind').notNull(),
  /** The alert body sent (JSON). */
  payload: text('payload').notNull(),
  /** `pending`, `delivered`, `failed`. */
  status: text('status').notNull(),
  attempts: integer('attempts').notNull(),
  lastError: text('last_error'),
});
