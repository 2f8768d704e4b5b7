import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };
const integration = (name: string, db: 'pglite' | 'postgres') => ({
  resolve: { alias },
  test: {
    name,
    include: ['tests/integration/**/*.test.ts'],
    environment: 'node',
    env: { TEST_DB: db, NODE_ENV: 'test' as const },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // each file gets its own database; PGlite instances are memory-hungry, keep files in a few workers
    maxWorkers: 2,
    // vitest 4 groups projects by groupOrder; projects in one group must share maxWorkers
    sequence: { groupOrder: 1 },
  },
});

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          env: { NODE_ENV: 'test' as const },
          sequence: { groupOrder: 0 },
        },
      },
      integration('integration-pglite', 'pglite'),
      integration('integration-postgres', 'postgres'),
    ],
  },
});
