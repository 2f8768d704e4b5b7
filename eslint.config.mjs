import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const dbImportBan = {
  patterns: [
    {
      group: ['@/lib/db', '@/lib/db/*', '**/lib/db', '**/lib/db/*', '**/lib/db/**'],
      message:
        'Pages and components reach data only through lib/ functions (reads) and lib/services (privileged writes), never the database client.',
    },
    {
      group: ['@prisma/client', '@prisma/*', 'pg', '@electric-sql/*', 'pglite-prisma-adapter'],
      message: 'Database drivers belong in lib/db only.',
    },
  ],
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      'lib/db/generated/**',
      'data/**',
      'keys/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'proxy.ts'],
    rules: { 'no-restricted-imports': ['error', dbImportBan] },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // command-line tools talk to a terminal
    files: ['scripts/**', 'bench/**', 'e2e/**'],
    rules: { 'no-console': 'off' },
  },
];

export default config;
