import { bigint, boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';

/** Redacted, capped request and response bodies of logged requests, one row per request id; deleted after retention. */
export const requestLogs = pgTable(
  'request_logs',
  {
    requestId: text('request_id').primaryKey(),
    /** Unix ms (the usage record's time). */
    time: bigint('time', { mode: 'number' }).notNull(),
    teamId: text('team_id'),
    keyId: text('key_id'),
    kind: text('kind').notNull(),
    model: text('model'),
    status: integer('status').notNull(),
    requestBody: text('request_body'),
    requestTruncated: boolean('request_truncated').notNull(),
    responseBody: text('response_body'),
    responseTruncated: boolean('response_truncated').notNull(),
  },
  (t) => [index('request_logs_team_time_idx').on(t.teamId, t.time), index('request_logs_time_idx').on(t.time)],
);
