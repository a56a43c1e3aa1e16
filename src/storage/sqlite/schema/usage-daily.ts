import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The ledger's daily roll-up: one row per UTC day, team, key, model and provider, with the sums
 * reports read (money in integer nano-dollars). Written only by the `usage_daily_add` trigger on
 * each inserted usage row (migrations/sqlite: custom migration), in the insert's transaction, so
 * it is exact and a row ignored as a duplicate request id adds nothing. Kept when raw rows expire.
 * No unique index: SQLite's unique indexes treat NULLs as distinct; the trigger finds the row by IS.
 */
export const usageDaily = sqliteTable(
  'usage_daily',
  {
    /** The UTC day's start, Unix ms (so the raw table's time filters and groupings apply as they are). */
    time: integer('time').notNull(),
    teamId: text('team_id'),
    keyId: text('key_id'),
    model: text('model'),
    provider: text('provider'),
    requests: integer('requests').notNull(),
    /** Requests with status ≥ 400. */
    errors: integer('errors').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    cachedTokens: integer('cached_tokens').notNull(),
    cacheWriteTokens: integer('cache_write_tokens').notNull(),
    reasoningTokens: integer('reasoning_tokens').notNull(),
    costNanos: integer('cost_nanos').notNull(),
  },
  (t) => [index('usage_daily_key_idx').on(t.time, t.teamId, t.keyId, t.model, t.provider), index('usage_daily_team_time_idx').on(t.teamId, t.time)],
);
