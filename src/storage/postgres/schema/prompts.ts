import { bigint, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** Published prompt versions; immutable, one row per name@version. */
export const promptVersions = pgTable(
  'prompt_versions',
  {
    name: text('name').notNull(),
    version: text('version').notNull(),
    /** The prompt file's text (front matter + template). */
    source: text('source').notNull(),
    /** Unix ms. */
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);
