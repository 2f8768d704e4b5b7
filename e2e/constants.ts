/** Shared between playwright.config.ts (the server's environment) and the specs. Test-only values. */
export const E2E_INGEST_SECRET = 'e2e-ingest-secret-not-for-production-0123456789';
