import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // Every table file: the platform's and each module's.
  schema: ['./src/platform/platform.table.ts', './src/modules/*/*.table.ts'],
  out: './drizzle',
});
