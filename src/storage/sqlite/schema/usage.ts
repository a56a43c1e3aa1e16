import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The ledger: one row per request, of every kind (docs/contract.md §4), written once. The source of truth
 * for spend — counters are rebuilt from it (docs/architecture.md §4). Lean on purpose (docs/architecture.md §5): no prices,
 * no bodies; money in integer nano-dollars.
 */
export const usageRecords = sqliteTable(
  'usage_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: text('request_id').notNull(),
    /** Unix ms. */
    time: integer('time').notNull(),
    teamId: text('team_id'),
    keyId: text('key_id'),
    kind: text('kind').notNull(),
    provider: text('provider'),
    model: text('model'),
    /** What the caller typed (`openai/gpt-4o`, an alias); `provider`/`model` are what it resolved to. */
    requestedModel: text('requested_model'),
    promptName: text('prompt_name'),
    promptVersion: text('prompt_version'),
    route: text('route'),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    cachedTokens: integer('cached_tokens').notNull(),
    cacheWriteTokens: integer('cache_write_tokens').notNull(),
    reasoningTokens: integer('reasoning_tokens').notNull(),
    costNanos: integer('cost_nanos').notNull(),
    estimated: integer('estimated', { mode: 'boolean' }).notNull(),
    latencyMs: integer('latency_ms').notNull(),
    status: integer('status').notNull(),
    attempts: integer('attempts').notNull(),
    cached: integer('cached', { mode: 'boolean' }),
    bytesIn: integer('bytes_in'),
    bytesOut: integer('bytes_out'),
    /** JSON object of string tags. */
    tags: text('tags'),
  },
  // Reports filter by team and time range; per-key and per-model groupings scan within those.
  // The request id is unique: replaying the ledger's spool after a crash must not count twice.
  (t) => [index('usage_team_time_idx').on(t.teamId, t.time), index('usage_time_idx').on(t.time), uniqueIndex('usage_request_id_idx').on(t.requestId)],
);
