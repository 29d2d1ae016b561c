import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema.ts and committed; `komek migrate` applies them to
// Postgres and to the embedded PGlite alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
