/**
 * Started by Playwright (playwright.config.ts webServer) before the app: the MediaWiki stand-in on a fixed
 * loopback port, with maskpatrol registered as an OAuth 2 consumer whose redirect URI is the app's callback.
 */
import { startFakeWiki } from '../tests/helpers/fake-wiki';
import { E2E_OAUTH_CLIENT_ID, E2E_OAUTH_CLIENT_SECRET, e2eOAuthPort } from './constants';

const appPort = Number(process.env.E2E_PORT ?? 3100);
const wiki = await startFakeWiki({
  port: e2eOAuthPort(),
  clientId: E2E_OAUTH_CLIENT_ID,
  clientSecret: E2E_OAUTH_CLIENT_SECRET,
  redirectUri: `http://localhost:${appPort}/api/auth/callback/wikimedia`,
});
process.stdout.write(`fake wiki on ${wiki.url}\n`);
const stop = () => void wiki.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
