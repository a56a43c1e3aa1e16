import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Teams (tenants): they own keys, carry limits, and usage is reported per team (docs/contract.md §4). */
export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** The limits object as the admin wrote it (docs/contract.md §4), JSON; null = no limits. */
  limits: text('limits'),
  /** Unix ms. */
  createdAt: integer('created_at').notNull(),
  /** Store this team's request and response bodies (request_logs), even when not enabled for all. */
  requestLogs: integer('request_logs', { mode: 'boolean' }).notNull().default(false),
});
