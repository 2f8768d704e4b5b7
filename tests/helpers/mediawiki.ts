import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway real MediaWiki for the tests (Debian's `mediawiki` package, PHP's built-in web server, SQLite).
 *
 * Once per machine and package version, `mediaWikiTemplate()` copies /usr/share/mediawiki to
 * <tmp>/maskpatrol-mediawiki-<version>-<HARNESS>/w, runs maintenance/install.php into a template SQLite
 * database, appends the test settings below to LocalSettings.php and warms the localisation cache. Each
 * `startMediaWiki()` copies the template database into a fresh temp directory and serves the shared code with
 * `php -S 127.0.0.1:<port>` pointed at it by environment variables; `stop()` ends PHP and deletes the data,
 * `kill()` / `restart()` let a test take the wiki away and bring it back on the same port and data.
 *
 * No imports beyond Node: scripts/test-all.ts (install), vitest and Playwright all use this file.
 */
export const MEDIAWIKI_SHARE = '/usr/share/mediawiki';
export const MEDIAWIKI_APT_PACKAGES = ['mediawiki', 'php-sqlite3', 'php-cli', 'php-intl', 'php-mbstring', 'php-xml'];
export const MEDIAWIKI_ADMIN = 'Admin';
const HARNESS = 'h2';
const ADMIN_PASSWORD = 'maskpatrol-test-admin-0123456789';

function packageVersion(): string | null {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'mediawiki'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** The package and PHP (with the SQLite, intl, mbstring and XML modules) are installed. */
export function mediaWikiInstalled(): boolean {
  if (!fs.existsSync(path.join(MEDIAWIKI_SHARE, 'api.php'))) return false;
  const r = spawnSync('php', ['-r', 'exit(extension_loaded("pdo_sqlite") && extension_loaded("intl") && extension_loaded("mbstring") && extension_loaded("xml") ? 0 : 1);']);
  return r.status === 0;
}

export const MEDIAWIKI_MISSING = `MediaWiki is not installed. Install Debian's packages (as root): apt-get update && apt-get install -y --no-install-recommends ${MEDIAWIKI_APT_PACKAGES.join(' ')}`;

/** Installs the packages with apt-get when missing and running as root (scripts/test-all.ts, like Chromium). */
export function ensureMediaWikiPackages(say: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): boolean {
  if (mediaWikiInstalled()) return true;
  if (process.getuid?.() !== 0) {
    console.error(MEDIAWIKI_MISSING);
    return false;
  }
  say('installing Debian\'s mediawiki and PHP for the MediaWiki round-trip tests (apt-get, about a minute)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...MEDIAWIKI_APT_PACKAGES], { stdio: 'inherit', env });
  return mediaWikiInstalled();
}

function php(args: string[], cwd: string, env: Record<string, string> = {}): void {
  const r = spawnSync('php', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 });
  if (r.status !== 0) throw new Error(`php ${args[0]} failed (${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
}

/** Settings appended to the installer's LocalSettings.php: per-instance data and server from the environment. */
const TEST_SETTINGS = `
# --- maskpatrol test harness (tests/helpers/mediawiki.ts) ---
$wgCacheDirectory = dirname( __DIR__ ) . '/cache';
$wgLocalisationCacheConf['store'] = 'files';
$wgMainCacheType = CACHE_NONE;
$wgSessionCacheType = CACHE_DB;
# many anonymous test edits a minute from few addresses: no edit rate limit, no captcha (ConfirmEdit is not loaded)
$wgRateLimits['edit'] = [];
$wgEnableBotPasswords = true;
$wgJobRunRate = 0;
$wgUseInstantCommons = false;
$wgEnableUploads = false;
`;

/** Builds (once) and returns the template directory: <root>/w (code + LocalSettings.php), <root>/data, <root>/cache. */
export function mediaWikiTemplate(): string {
  if (!mediaWikiInstalled()) throw new Error(MEDIAWIKI_MISSING);
  const root = path.join(os.tmpdir(), `maskpatrol-mediawiki-${(packageVersion() ?? 'unknown').replace(/[^\w.-]/g, '_')}-${HARNESS}`);
  if (fs.existsSync(path.join(root, 'ready'))) return root;
  // built in a directory of its own and renamed into place: concurrent test files never see half a template
  const tmp = fs.mkdtempSync(`${root}.build-`);
  try {
    const w = path.join(tmp, 'w');
    fs.cpSync(MEDIAWIKI_SHARE, w, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(w, 'LocalSettings.php'), { force: true });
    fs.mkdirSync(path.join(tmp, 'data'));
    fs.mkdirSync(path.join(tmp, 'cache'));
    php(
      ['maintenance/install.php', '--dbtype=sqlite', `--dbpath=${path.join(tmp, 'data')}`, '--dbname=wiki', '--server=http://127.0.0.1', '--scriptpath=/w', `--pass=${ADMIN_PASSWORD}`, '--quiet', 'TestWiki', MEDIAWIKI_ADMIN],
      w,
    );
    // the installer's data directory and server become per-instance environment variables (the SQLite object
    // cache, job queue and l10n settings below them read $wgSQLiteDataDir, so it is replaced where it is set)
    const file = path.join(w, 'LocalSettings.php');
    const settings = fs
      .readFileSync(file, 'utf8')
      .replace(/^\$wgSQLiteDataDir = (.*);$/m, "$$wgSQLiteDataDir = getenv( 'MASKPATROL_MW_DATA' ) ?: $1;")
      .replace(/^\$wgServer = (.*);$/m, "$$wgServer = getenv( 'MASKPATROL_MW_SERVER' ) ?: $1;");
    if (!settings.includes("getenv( 'MASKPATROL_MW_DATA' )") || !settings.includes("getenv( 'MASKPATROL_MW_SERVER' )"))
      throw new Error('LocalSettings.php from install.php: $wgSQLiteDataDir or $wgServer not found');
    fs.writeFileSync(file, settings + TEST_SETTINGS);
    php(['maintenance/rebuildLocalisationCache.php', '--lang=en', '--quiet'], w);
    fs.writeFileSync(path.join(tmp, 'ready'), new Date().toISOString());
    try {
      fs.renameSync(tmp, root);
    } catch {
      // another process finished first: use its template
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return root;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface MediaWiki {
  port: number;
  /** http://127.0.0.1:<port>/w/api.php */
  api: string;
  /** the bot password's login name ("Admin@<appId>") and password (grants: basic, blockusers, editpage, createeditmovepage) */
  botUser: string;
  botPassword: string;
  /** PHP's output (the wiki's access log), for tests that look for secrets in it */
  output(): string;
  /** ends PHP (SIGKILL), keeps the data: the wiki is down */
  kill(): Promise<void>;
  /** serves the same data on the same port again */
  restart(): Promise<void>;
  /** ends PHP and deletes the instance's data */
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  /** at least 32 characters of [0-9a-z], like the ones Special:BotPasswords makes (others did not log in) */
  botPassword: string;
  botAppId?: string;
}

async function waitUp(api: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`php -S exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${api}?action=query&meta=siteinfo&format=json`, { signal: AbortSignal.timeout(5000) });
      if (r.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('MediaWiki did not answer within 30 s');
}

const DATA_PREFIX = 'maskpatrol-mw-data-';

/** Data directories of instances whose process is gone (killed before it could clean up). */
function removeOrphans(): void {
  for (const name of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(DATA_PREFIX))) {
    const dir = path.join(os.tmpdir(), name);
    let pid = 0;
    try {
      pid = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      process.kill(pid, 0);
    } catch (err) {
      // no pid file yet (an instance being set up right now) is left alone; a dead owner's directory goes
      if (pid > 0 && (err as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** A fresh wiki from the template, served on `port` (default: a free one), with a bot password for the admin. */
export async function startMediaWiki(opts: StartOptions): Promise<MediaWiki> {
  if (!/^[0-9a-z]{32,}$/.test(opts.botPassword)) throw new Error('startMediaWiki: botPassword must be 32 or more characters of [0-9a-z]');
  const root = mediaWikiTemplate();
  const port = opts.port ?? (await freePort());
  removeOrphans();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), DATA_PREFIX));
  fs.cpSync(path.join(root, 'data'), data, { recursive: true });
  fs.writeFileSync(path.join(data, 'owner.pid'), String(process.pid));
  const env = { MASKPATROL_MW_DATA: data, MASKPATROL_MW_SERVER: `http://127.0.0.1:${port}` };
  const appId = opts.botAppId ?? 'maskpatrol';
  try {
    php(['maintenance/createBotPassword.php', `--appid=${appId}`, '--grants=basic,blockusers,editpage,createeditmovepage', MEDIAWIKI_ADMIN, opts.botPassword], path.join(root, 'w'), env);
  } catch (err) {
    fs.rmSync(data, { recursive: true, force: true });
    throw err;
  }
  const api = `http://127.0.0.1:${port}/w/api.php`;
  let out = '';
  let child: ChildProcess | null = null;
  const serve = async () => {
    const c = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child = c;
    await waitUp(api, c);
  };
  const end = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGKILL');
    });
  };
  try {
    await serve();
  } catch (err) {
    await end();
    fs.rmSync(data, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    api,
    botUser: `${MEDIAWIKI_ADMIN}@${appId}`,
    botPassword: opts.botPassword,
    output: () => out,
    kill: end,
    restart: async () => {
      await end();
      await serve();
    },
    stop: async () => {
      await end();
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}
