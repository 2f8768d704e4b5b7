/**
 * npm run context:refresh — bring the IP-context data (step 9) up to date and check it loads.
 *
 *   npm run context:refresh               install the newest @ip-location-db/asn and asn-country from the npm
 *                                         registry (pinned exactly in package.json), then load and check them
 *   npm run context:refresh -- --check    only load and check the data in use (MASKPATROL_IP_CONTEXT_DIR or
 *                                         the installed packages)
 *   npm run context:refresh -- --from DIR load and check the four CSV files in DIR (asn-ipv4-num.csv,
 *                                         asn-ipv6.csv, asn-country-ipv4-num.csv, asn-country-ipv6.csv), e.g.
 *                                         downloaded from ip-location-db's releases; then set
 *                                         MASKPATROL_IP_CONTEXT_DIR=DIR
 *
 * The server loads the data once at start: restart it to use refreshed data. Offline, the registry step fails
 * with a message and changes nothing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { DATA_FILES, dataVersion, defaultSources, IpContextDb } from '../lib/context/lookup';
import { contextSources } from '../lib/context/shared';
import { tryCanonicalIp } from '../lib/masking/ip';

const PACKAGES = ['@ip-location-db/asn', '@ip-location-db/asn-country'];
const ROOT = path.resolve(import.meta.dirname, '..');

function fail(message: string): never {
  console.error(`context:refresh: ${message}`);
  process.exit(1);
}

function npm(args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_fetch_retries: process.env.npm_config_fetch_retries ?? '1' } });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() };
}

/** Load the data the way the server does and check that well-known public ranges resolve. */
function check(sources: ConstructorParameters<typeof IpContextDb>[0]): void {
  const t0 = Date.now();
  const db = new IpContextDb(sources);
  const ms = Date.now() - t0;
  const probe = (a: string) => {
    const ip = tryCanonicalIp(a)!;
    return db.lookup(ip.family, ip.bytes);
  };
  const missing = ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888'].filter((a) => !probe(a)?.asn);
  if (missing.length) fail(`the data loaded but does not know ${missing.length} well-known public network(s); it looks truncated or wrong`);
  const r = db.rows;
  console.log(
    `IP context data ${db.version ?? '(no version: operator files)'} OK: ${r.asn4} IPv4 and ${r.asn6} IPv6 ASN rows, ` +
      `${r.country4} IPv4 and ${r.country6} IPv6 country rows, loaded in ${ms} ms.`,
  );
}

const args = process.argv.slice(2);
try {
  if (args[0] === '--check') {
    check(contextSources(loadConfig()));
  } else if (args[0] === '--from') {
    const dir = args[1] ? path.resolve(args[1]) : fail(`--from needs a directory holding ${Object.values(DATA_FILES).join(', ')}`);
    check({ asnDir: dir, countryDir: dir });
    console.log(`Set MASKPATROL_IP_CONTEXT_DIR=${dir} and restart the server to use it.`);
  } else if (args.length === 0) {
    const installed = dataVersion(defaultSources(ROOT).asnDir);
    const latest = npm(['view', PACKAGES[0]!, 'version']);
    if (!latest.ok || !/^\d+\.\d+\.\d+$/.test(latest.out))
      fail(
        `could not ask the npm registry for the newest data (offline, or the registry refused; npm said: ${latest.err.split('\n')[0] || 'nothing'}). ` +
          `Nothing changed; the installed data (${installed ?? 'none'}) stays in use. To load files from elsewhere: --from DIR.`,
      );
    if (latest.out === installed) console.log(`The installed data ${installed} is the newest on npm.`);
    else {
      console.log(`Installing ${latest.out} (installed: ${installed ?? 'none'})…`);
      const inst = npm(['install', '--save-exact', ...PACKAGES.map((p) => `${p}@${latest.out}`)]);
      if (!inst.ok) fail(`npm install failed (${inst.err.split('\n')[0] || 'no message'}); the previous data stays in use.`);
      console.log('package.json and package-lock.json now pin the new version: commit them so every instance gets the same data.');
    }
    check(defaultSources(ROOT));
    console.log('Restart the server to use refreshed data (it loads the data once at start).');
  } else fail('usage: npm run context:refresh [-- --check | --from DIR]');
  process.exit(0);
} catch (err) {
  // loader errors name a file and a line, never an address
  fail(err instanceof Error ? err.message : String(err));
}
