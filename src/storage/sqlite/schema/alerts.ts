import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per alert raised: the primary key names the budget (or spike window), threshold and
 * period, so an alert is raised once however many instances see the crossing (INSERT … ON
 * CONFLICT DO NOTHING) and survives restarts. Delivery state per alert, for retries and audit.
 */
export const alertDeliveries = sqliteTable('alert_deliveries', {
  /** `budget:<scope>:<id>:<period start>:<threshold>` or `spike:team:<id>:<window start>`. */
  id: text('id').primaryKey(),
  /** Unix ms when raised. */
  time: integer('time').notNull(),
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
