import { execSync } from 'node:child_process';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { E2E_INGEST_SECRET, E2E_MW_BOT_PASSWORD, E2E_MW_WIKI, E2E_OAUTH_CLIENT_ID, E2E_OAUTH_CLIENT_SECRET, E2E_REVEAL_DISPLAY_SECONDS, e2eMediaWikiPort, e2eOAuthPort } from './e2e/constants';
import { MEDIAWIKI_ADMIN, mediaWikiInstalled } from './tests/helpers/mediawiki';

/**
 * End-to-end tests in Debian's Chromium (never a downloaded browser) against the real server started
 * the way `npm start` starts it, on a fresh embedded database under e2e/.artifacts.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DIR = path.resolve('e2e/.artifacts');
/** the MediaWiki stand-in (OAuth 2 + Action API) the app signs wiki accounts in against */
const OAUTH_PORT = e2eOAuthPort();
const FAKE_WIKI = `http://127.0.0.1:${OAUTH_PORT}`;
/**
 * The real MediaWiki (e2e/mediawiki-server.ts): started when Debian's package is installed (npm test installs it as
 * root) and always under CI, where a missing package must fail rather than skip. The server ingests its recent
 * changes (action-api feed) and pushes blocks to it (MASKPATROL_BLOCK_WIKIS), with short sync backoff.
 */
const MEDIAWIKI = !!process.env.CI || mediaWikiInstalled();
const MW_PORT = e2eMediaWikiPort();
const MW_API = `http://127.0.0.1:${MW_PORT}/w/api.php`;
const mediaWikiEnv: Record<string, string> = MEDIAWIKI
  ? {
      MASKPATROL_FEED_SOURCE: 'replay,demo,action-api',
      MASKPATROL_FEED_CONTACT: 'maskpatrol e2e tests',
      MASKPATROL_ACTION_API_URL: MW_API,
      MASKPATROL_ACTION_API_WIKI: E2E_MW_WIKI,
      MASKPATROL_ACTION_API_INTERVAL_SECONDS: '1',
      MASKPATROL_BLOCK_WIKIS: JSON.stringify([{ wiki: E2E_MW_WIKI, api: MW_API, import: false, sync: true, botUser: `${MEDIAWIKI_ADMIN}@maskpatrol` }]),
      [`MASKPATROL_BOT_PASSWORD_${E2E_MW_WIKI.toUpperCase()}`]: E2E_MW_BOT_PASSWORD,
      MASKPATROL_BLOCK_SYNC_BACKOFF_MS: '200',
      MASKPATROL_BLOCK_SYNC_BACKOFF_MAX_MS: '1000',
      MASKPATROL_BLOCK_SYNC_INTERVAL_MS: '500',
    }
  : {};

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync('command -v chromium || command -v chromium-browser', { encoding: 'utf8', shell: '/bin/sh' }).trim().split('\n')[0]!;
  } catch {
    throw new Error('Chromium is not installed. Install Debian\'s package: sudo apt-get update && sudo apt-get install -y chromium');
  }
}

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: !!process.env.CI,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    { name: 'api', testMatch: /api\..*\.spec\.ts/ },
    { name: 'ui', testMatch: /ui\..*\.spec\.ts/ },
  ],
  webServer: [
    ...(MEDIAWIKI
      ? [
          {
            // the first start on a machine builds the template wiki (install.php, about 30 s)
            command: `exec node node_modules/tsx/dist/cli.mjs e2e/mediawiki-server.ts`,
            url: `${MW_API}?action=query&meta=siteinfo&format=json`,
            timeout: 180_000,
            reuseExistingServer: false,
            // SIGTERM: the script stops PHP and deletes the wiki's data
            gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
            env: { E2E_PORT: String(E2E_PORT), E2E_MW_PORT: String(MW_PORT) },
          },
        ]
      : []),
    {
      command: `exec node node_modules/tsx/dist/cli.mjs e2e/oauth-server.ts`,
      url: `${FAKE_WIKI}/health`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { E2E_PORT: String(E2E_PORT), E2E_OAUTH_PORT: String(OAUTH_PORT) },
    },
    {
      // a fresh data directory and key store per run; the server's whole output goes to a file the
      // log-leak test reads
      command: `rm -rf "${E2E_DIR}" && mkdir -p "${E2E_DIR}" && exec node node_modules/tsx/dist/cli.mjs scripts/start.ts > "${E2E_DIR}/server.log" 2>&1`,
      url: `http://localhost:${E2E_PORT}/api/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      env: {
        PORT: String(E2E_PORT),
        MASKPATROL_DATA_DIR: `${E2E_DIR}/data`,
        MASKPATROL_KEYS_DIR: `${E2E_DIR}/keys`,
        MASKPATROL_DEMO_ACCOUNTS: 'false',
        LOG_LEVEL: 'info',
        DATABASE_URL: '',
        MASKPATROL_INGEST_SECRET: E2E_INGEST_SECRET,
        // the demo feed runs as on a user's first start, with its vandal wave on for the whole run
        MASKPATROL_DEMO_WAVE_EVERY_MINUTES: '1',
        MASKPATROL_DEMO_WAVE_MINUTES: '1',
        MASKPATROL_DEMO_INTERVAL_MS: '800',
        // a checkpoint after each steward verification too (ui.audit-chain.spec.ts sees one taken)
        MASKPATROL_AUDIT_CHECKPOINT_ACTIONS: 'ip.reveal,audit.verify',
        // the revealed IP is hidden after this many seconds (5 minutes by default; short here so ui.reveal sees it go)
        MASKPATROL_REVEAL_DISPLAY_SECONDS: E2E_REVEAL_DISPLAY_SECONDS,
        // sign-in with a wiki account against the stand-in: metawiki hosts OAuth, enwiki and dewiki give roles
        MASKPATROL_OAUTH_CLIENT_ID: E2E_OAUTH_CLIENT_ID,
        MASKPATROL_OAUTH_CLIENT_SECRET: E2E_OAUTH_CLIENT_SECRET,
        MASKPATROL_OAUTH_BASE_URL: `${FAKE_WIKI}/metawiki/w`,
        MASKPATROL_OAUTH_WIKIS: `enwiki=${FAKE_WIKI}/enwiki/w/api.php,dewiki=${FAKE_WIKI}/dewiki/w/api.php`,
        ...mediaWikiEnv,
      },
    },
  ],
});
