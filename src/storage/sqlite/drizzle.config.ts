import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate --config src/storage/sqlite/drizzle.config.ts` → SQL migrations in migrations/sqlite/. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/sqlite/schema/index.ts',
  out: './migrations/sqlite',
});
