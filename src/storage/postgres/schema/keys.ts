import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { teams } from './teams.js';

/** API keys: only the SHA-256 of the key and a display prefix are stored (the key is shown once, at creation). */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    /** JSON array of model names / `prefix*` patterns; null = every model. */
    allowedModels: text('allowed_models'),
    limits: text('limits'),
    /** Unix ms; null = never. */
    expiresAt: bigint('expires_at', { mode: 'number' }),
    revokedAt: bigint('revoked_at', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('api_keys_team_idx').on(t.teamId)],
);
