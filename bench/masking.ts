/**
 * npm run bench:masking [-- --events 50000]
 *
 * Events masked per second on one core (this process, one thread), IPv4 and IPv6 separately, including
 * the vault encryption (AES-256-GCM per distinct address) and the scan of every text field. Baselines in
 * the same run: a bare HMAC-SHA-256 loop and a bare AES-256-GCM loop, so numbers from different machines
 * compare as ratios. Keys live in a throwaway key store under the OS temp dir.
 */
import { createCipheriv, createHmac, createSecretKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawEdit } from '../lib/feed/types';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--events') + 1]) || 50_000;

function edit(i: number, user: string): RawEdit {
  const revert = i % 10 === 0;
  return {
    source: 'demo', wiki: 'enwiki', sourceId: `rc:${i}`, rcId: i, revId: 1e6 + i, oldRevId: 1e6 + i - 1, type: 'edit',
    namespace: i % 3 === 0 ? 3 : 0,
    title: i % 3 === 0 ? `User talk:${user}` : `Article number ${i % 977}`,
    timestamp: '2026-03-01T12:00:00Z', user, isAnon: true, isTemp: false, isBot: false, isMinor: i % 2 === 0, isNew: false,
    isPatrolled: null,
    comment: revert ? `Reverted edits by ${user} (talk) to last version by Example` : `/* Section ${i % 50} */ fixed typo, v1.2.3 at 12:34:56`,
    parsedComment: revert ? `Reverted edits by <a href="/wiki/Special:Contributions/${user}">${user}</a>` : `<span>Section ${i % 50}</span> fixed typo`,
    sizeOld: 1000, sizeNew: 1000 + (i % 200), sizeDelta: i % 200, tags: ['mobile edit'], logType: null, logAction: null, logParams: null, ip: null,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
    serverUrl: 'https://en.wikipedia.org', country: 'US', ores: null,
  };
}

const v4 = (i: number) => `${11 + (i % 200)}.${(i >> 8) & 255}.${(i >> 3) & 255}.${i & 255}`;
const v6 = (i: number) => `2001:db8:${(i % 4000).toString(16)}:${(i >> 4).toString(16)}::${(i & 0xffff).toString(16)}`;

function rate(label: string, n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(5000, n); i++) fn(i); // warm-up
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const r = n / s;
  console.log(`${label.padEnd(44)} ${Math.round(r).toLocaleString('en-US').padStart(12)} /s  (${((s / n) * 1e6).toFixed(2)} µs each)`);
  return r;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bench-'));
try {
  const keys = new KeyRing(path.join(dir, 'keys'));
  const masker = new Masker({ keys, limits: { v4: 16, v6: 19 } });
  const e4 = Array.from({ length: N }, (_, i) => edit(i, v4(i)));
  const e6 = Array.from({ length: N }, (_, i) => edit(i, v6(i)));
  const hk = createSecretKey(randomBytes(32));
  const ip4 = Buffer.from([203, 0, 113, 57]);
  const ak = createSecretKey(randomBytes(32));

  console.log(`maskpatrol masking benchmark — ${N.toLocaleString('en-US')} events per run, one core, node ${process.version}, ${os.cpus()[0]?.model ?? ''}`);
  const hmac = rate('baseline: bare HMAC-SHA-256 (4-byte input)', N * 4, () => {
    createHmac('sha256', hk).update(ip4).digest();
  });
  const gcm = rate('baseline: bare AES-256-GCM (40-byte record)', N * 2, () => {
    const c = createCipheriv('aes-256-gcm', ak, randomBytes(12));
    c.update('{"v":1,"ip":"203.0.113.57","ua":"Mozilla"}');
    c.final();
    c.getAuthTag();
  });
  const r4 = rate('maskEdit, IPv4 editors (incl. vault encryption)', N, (i) => void masker.maskEdit(e4[i % N]!));
  const r6 = rate('maskEdit, IPv6 editors (incl. vault encryption)', N, (i) => void masker.maskEdit(e6[i % N]!));
  console.log('');
  console.log(`IPv4: ${Math.round(r4).toLocaleString('en-US')} events/s per core = 1/${(hmac / r4).toFixed(1)} of the bare HMAC rate, 1/${(gcm / r4).toFixed(1)} of the bare AES-GCM rate (target ≥ 20,000: ${r4 >= 20_000 ? 'met' : 'NOT met'})`);
  console.log(`IPv6: ${Math.round(r6).toLocaleString('en-US')} events/s per core = 1/${(hmac / r6).toFixed(1)} of the bare HMAC rate, 1/${(gcm / r6).toFixed(1)} of the bare AES-GCM rate`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
