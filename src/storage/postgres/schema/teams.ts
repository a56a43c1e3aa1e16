import { bigint, boolean, pgTable, text } from 'drizzle-orm/pg-core';

/** Teams (tenants): they own keys, carry limits, and usage is reported per team (docs/contract.md §4). */
export const teams = pgTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** The limits object as the admin wrote it (docs/contract.md §4), JSON; null = no limits. */
  limits: text('limits'),
  /** Unix ms. */
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  /** Store this team's request and response bodies (request_logs), even when not enabled for all. */
  requestLogs: boolean('request_logs').notNull().default(false),
});
