import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Prompt versions published through `POST /admin/prompts` (docs/contract.md §5); immutable, one row per name@version. */
export const promptVersions = sqliteTable(
  'prompt_versions',
  {
    name: text('name').notNull(),
    version: text('version').notNull(),
    /** The prompt file's text (front matter + template), as a file in prompts/ would hold it. */
    source: text('source').notNull(),
    /** Unix ms. */
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);
