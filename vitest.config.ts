import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };
const integration = (name: string, db: 'pglite' | 'postgres', dir = 'integration') => ({
  resolve: { alias },
  test: {
    name,
    include: [`tests/${dir}/**/*.test.ts`],
    environment: 'node',
    env: { TEST_DB: db, NODE_ENV: 'test' as const },
    // generous: several tests run the command-line tools as child processes, each opening an embedded
    // database (seconds apiece, many more on a loaded 2-core machine)
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    // 2 cores: each integration file holds its own database (PGlite is memory-hungry)
    maxWorkers: 2,
    projects: [
      {
        resolve: { alias },
        // a hang guard, not a speed check: some unit tests parse the real day (seconds on a loaded 2-core machine)
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', env: { NODE_ENV: 'test' as const }, testTimeout: 30_000 },
      },
      integration('integration-pglite', 'pglite'),
      integration('integration-postgres', 'postgres'),
      // the long proof suites (step 11): `npm run proof:crash`, run by .ci/run after `npm test`
      integration('proof-pglite', 'pglite', 'proof'),
      integration('proof-postgres', 'postgres', 'proof'),
    ],
  },
});
