/** Shared between playwright.config.ts (the server's environment) and the specs. Test-only values. */
export const E2E_INGEST_SECRET = 'e2e-ingest-secret-not-for-production-0123456789';

/** The e2e server's reveal display time (MASKPATROL_REVEAL_DISPLAY_SECONDS), in seconds. */
export const E2E_REVEAL_DISPLAY_SECONDS = '4';
