import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate --config src/metering/drizzle.config.ts` → SQL migrations in migrations/. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/metering/storage/schema/index.ts',
  out: './migrations',
});
