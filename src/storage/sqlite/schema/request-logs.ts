import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Request and response bodies of requests whose team has request logs on (config
 * `request_logs`), one row per request id, beside its usage record. Redacted and capped before
 * they are written; deleted after the retention period (the usage record stays).
 */
export const requestLogs = sqliteTable(
  'request_logs',
  {
    requestId: text('request_id').primaryKey(),
    /** Unix ms (the usage record's time). */
    time: integer('time').notNull(),
    teamId: text('team_id'),
    keyId: text('key_id'),
    kind: text('kind').notNull(),
    model: text('model'),
    status: integer('status').notNull(),
    /** The request body as received (redacted, cut to max_body_bytes). */
    requestBody: text('request_body'),
    requestTruncated: integer('request_truncated', { mode: 'boolean' }).notNull(),
    /** The response body; a stream's assembled answer (as a non-stream response of its surface). */
    responseBody: text('response_body'),
    responseTruncated: integer('response_truncated', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('request_logs_team_time_idx').on(t.teamId, t.time), index('request_logs_time_idx').on(t.time)],
);
