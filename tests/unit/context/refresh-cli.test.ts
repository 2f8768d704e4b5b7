import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';

/** npm run context:refresh: checks the data in use, loads operator files, and fails clearly when offline. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-ctx-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('context:refresh', { timeout: 120_000 }, () => {
  it('--check loads the installed data and names its version', async () => {
    const r = await runCli('context-refresh.ts', ['--check'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^IP context data \d+\.\d+\.\d+ OK: \d+ IPv4 and \d+ IPv6 ASN rows/);
  });

  it('--from DIR loads operator files and says how to use them; truncated files are refused', async () => {
    const pkg = (p: string) => path.join(ROOT, 'node_modules/@ip-location-db', p);
    for (const f of ['asn-ipv4-num.csv', 'asn-ipv6.csv']) fs.copyFileSync(path.join(pkg('asn'), f), path.join(dir, f));
    for (const f of ['asn-country-ipv4-num.csv', 'asn-country-ipv6.csv']) fs.copyFileSync(path.join(pkg('asn-country'), f), path.join(dir, f));
    const ok = await runCli('context-refresh.ts', ['--from', dir], {});
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('(no version: operator files) OK');
    expect(ok.stdout).toContain(`MASKPATROL_IP_CONTEXT_DIR=${dir}`);

    fs.writeFileSync(path.join(dir, 'asn-ipv4-num.csv'), '16777216,16777471,13335,"Cloudflare, Inc."\n');
    const short = await runCli('context-refresh.ts', ['--from', dir], {});
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/does not know \d well-known public network/);

    fs.rmSync(path.join(dir, 'asn-ipv6.csv'));
    const missing = await runCli('context-refresh.ts', ['--from', dir], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*asn-ipv6\.csv \(ENOENT\)/);
  });

  it('offline: says the registry could not be reached and changes nothing', async () => {
    const before = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const r = await runCli('context-refresh.ts', [], { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_offline: 'false' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not ask the npm registry for the newest data .*Nothing changed; the installed data \(\d+\.\d+\.\d+\) stays in use/);
    expect(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).toBe(before);
  });
});
