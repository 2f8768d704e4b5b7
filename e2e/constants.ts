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

/**
 * The real MediaWiki of the e2e run (e2e/mediawiki-server.ts, tests/helpers/mediawiki.ts): its port (E2E_MW_PORT,
 * or the app's E2E_PORT + 5000), a control port beside it (kill / restart, for the wiki-down test), its wiki id in
 * maskpatrol and the bot password the server syncs blocks with (test-only; 32 characters of [0-9a-z]).
 */
export function e2eMediaWikiPort(env: Record<string, string | undefined> = process.env): number {
  return Number(env.E2E_MW_PORT ?? Number(env.E2E_PORT ?? 3100) + 5000);
}
export const E2E_MW_WIKI = 'testwiki';
export const E2E_MW_BOT_PASSWORD = 'e2e0bot0password0not0for0production0';
