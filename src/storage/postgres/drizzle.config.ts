import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate --config src/storage/postgres/drizzle.config.ts` → SQL migrations in migrations/postgres/. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/postgres/schema/index.ts',
  out: './migrations/postgres',
});
