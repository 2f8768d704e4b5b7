/** Shared between playwright.config.ts (the server's environment) and the specs. Test-only values. */
export const E2E_INGEST_SECRET = 'e2e-ingest-secret-not-for-production-0123456789';

/** The e2e server's reveal display time (MASKPATROL_REVEAL_DISPLAY_SECONDS), in seconds. */
export const E2E_REVEAL_DISPLAY_SECONDS = '4';

/** The MediaWiki stand-in the e2e run starts on loopback (e2e/oauth-server.ts; tests/helpers/fake-wiki.ts). */
export const E2E_OAUTH_CLIENT_ID = 'e2e-maskpatrol-consumer';
export const E2E_OAUTH_CLIENT_SECRET = 'e2e-oauth-secret-not-for-production-0123456789';
/** A fixed loopback port beside the app's: E2E_OAUTH_PORT, or the app's E2E_PORT + 1000. */
export function e2eOAuthPort(env: Record<string, string | undefined> = process.env): number {
  return Number(env.E2E_OAUTH_PORT ?? Number(env.E2E_PORT ?? 3100) + 1000);
}
