import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The ledger: one row per request, written once; the source of truth for spend. Money in integer
 * nano-dollars (bigint, read as a JS number: whole nano-dollars stay below 2^53).
 */
export const usageRecords = pgTable(
  'usage_records',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    requestId: text('request_id').notNull(),
    /** Unix ms. */
    time: bigint('time', { mode: 'number' }).notNull(),
    teamId: text('team_id'),
    keyId: text('key_id'),
    kind: text('kind').notNull(),
    provider: text('provider'),
    model: text('model'),
    requestedModel: text('requested_model'),
    promptName: text('prompt_name'),
    promptVersion: text('prompt_version'),
    route: text('route'),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    cachedTokens: integer('cached_tokens').notNull(),
    cacheWriteTokens: integer('cache_write_tokens').notNull(),
    reasoningTokens: integer('reasoning_tokens').notNull(),
    costNanos: bigint('cost_nanos', { mode: 'number' }).notNull(),
    estimated: boolean('estimated').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    status: integer('status').notNull(),
    attempts: integer('attempts').notNull(),
    cached: boolean('cached'),
    bytesIn: bigint('bytes_in', { mode: 'number' }),
    bytesOut: bigint('bytes_out', { mode: 'number' }),
    /** JSON object of string tags. */
    tags: text('tags'),
  },
  // Same indexes as SQLite: reports by team and time; the unique request id makes spool replays idempotent.
  (t) => [index('usage_team_time_idx').on(t.teamId, t.time), index('usage_time_idx').on(t.time), uniqueIndex('usage_request_id_idx').on(t.requestId)],
);
