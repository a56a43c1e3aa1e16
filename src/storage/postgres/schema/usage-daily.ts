import { bigint, pgTable, text, unique, index } from 'drizzle-orm/pg-core';

/**
 * The ledger's daily roll-up (as ../../sqlite/schema/usage-daily.ts): one row per UTC day, team,
 * key, model and provider. Written only by the statement trigger `usage_daily_add` on usage_records
 * (migrations/postgres: custom migration) — one grouped upsert per insert statement, in its
 * transaction; rows skipped by ON CONFLICT DO NOTHING are not in its transition table.
 */
export const usageDaily = pgTable(
  'usage_daily',
  {
    /** The UTC day's start, Unix ms. */
    time: bigint('time', { mode: 'number' }).notNull(),
    teamId: text('team_id'),
    keyId: text('key_id'),
    model: text('model'),
    provider: text('provider'),
    requests: bigint('requests', { mode: 'number' }).notNull(),
    errors: bigint('errors', { mode: 'number' }).notNull(),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
    cachedTokens: bigint('cached_tokens', { mode: 'number' }).notNull(),
    cacheWriteTokens: bigint('cache_write_tokens', { mode: 'number' }).notNull(),
    reasoningTokens: bigint('reasoning_tokens', { mode: 'number' }).notNull(),
    costNanos: bigint('cost_nanos', { mode: 'number' }).notNull(),
  },
  // NULLS NOT DISTINCT (PostgreSQL 15+): a null team/key/model/provider is one group, the upsert's conflict target.
  (t) => [unique('usage_daily_key').on(t.time, t.teamId, t.keyId, t.model, t.provider).nullsNotDistinct(), index('usage_daily_team_time_idx').on(t.teamId, t.time)],
);
