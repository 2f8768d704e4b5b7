/**
 * npm run bench:masking [-- --events 5000 --rounds 9]
 *
 * Events masked per second on one core (this process, one thread), IPv4 and IPv6 separately, including
 * the vault encryption (AES-256-GCM per distinct address) and the scan of every text field. Baselines in
 * the same run: a bare HMAC-SHA-256 loop and a bare AES-256-GCM loop, so numbers from different machines
 * compare as ratios. Keys live in a throwaway key store under the OS temp dir.
 *
 * The machine may be shared. Rates are per second of this process's CPU time (process.cpuUsage: user +
 * system, all threads, GC included), not wall time, so time spent waiting for a core does not count;
 * every round runs every workload once, in slices of 50 events, each slice right after a slice of bare
 * HMACs, so both see the same load; a round's ratio compares the two. The summary gives the median over
 * the rounds and the range.
 *
 * Workloads:
 * - distinct: every event has an address never seen before in this process (the pseudonym cache never
 *   hits and evicts all the time — the worst case);
 * - 2015 day: the anonymous editors' addresses of the real 2015 day (fixtures/realdata), in feed order,
 *   with a new Masker (cold cache) at the start of every pass over the day — that day's repeat rate.
 */
import { createCipheriv, createHmac, createSecretKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RawEdit } from '../lib/feed/types';
import { tryCanonicalIp } from '../lib/masking/ip';
import { KeyRing } from '../lib/masking/keyring';
import { Masker } from '../lib/masking/mask';
import { writeReport } from './report';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return (i >= 0 && Number(args[i + 1])) || dflt;
};
const N = arg('events', 5_000);
const ROUNDS = arg('rounds', 9);
const REAL_DAY = path.join(import.meta.dirname, '..', 'fixtures/realdata/druid-wikiticker-2015-09-12-irc-recentchanges.jsonl.gz');

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

/** A bijection of 32-bit integers: distinct counters give distinct, scattered addresses. */
const scatter = (i: number) => Math.imul(i, 0x9e3779b1) >>> 0;
const v4 = (i: number) => {
  const h = scatter(i);
  return `${h >>> 24}.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${h & 255}`;
};
const hex = (n: number) => n.toString(16);
const v6 = (i: number) => {
  const h = scatter(i);
  return `2001:${hex(h >>> 16)}:${hex(h & 0xffff)}:${hex(i & 0xfff)}::${hex((i >>> 12) & 0xffff)}`;
};

/** The anonymous editors of the real 2015 day, in feed order, split by family. */
function realDay(): { v4: string[]; v6: string[] } {
  const out = { v4: [] as string[], v6: [] as string[] };
  for (const line of gunzipSync(fs.readFileSync(REAL_DAY)).toString('utf8').split('\n')) {
    if (!line) continue;
    const user = (JSON.parse(line) as { user?: unknown }).user;
    const ip = typeof user === 'string' ? tryCanonicalIp(user) : null;
    if (ip) (ip.family === 4 ? out.v4 : out.v6).push(user as string);
  }
  return out;
}

/** CPU seconds (user + system) this process spent on `n` calls of fn. */
function time(n: number, fn: (i: number) => void): number {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1e6;
}

interface Workload {
  label: string;
  /** prepare the next chunk (untimed); returns the calls to make and the function to time */
  chunk(): { n: number; fn: (i: number) => void };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-bench-'));
try {
  const keys = new KeyRing(path.join(dir, 'keys'));
  const limits = { v4: 16, v6: 19 };
  const hk = createSecretKey(randomBytes(32));
  const ip4 = Buffer.from([203, 0, 113, 57]);
  const ak = createSecretKey(randomBytes(32));
  const day = realDay();

  let counter = 0;
  const distinct = (label: string, gen: (i: number) => string): Workload => {
    const masker = new Masker({ keys, limits });
    return {
      label,
      chunk() {
        const edits = Array.from({ length: N }, () => edit(counter, gen(counter++)));
        return { n: N, fn: (i) => void masker.maskEdit(edits[i]!) };
      },
    };
  };
  /** whole passes over the day (at least N events), a cold cache at the start of each pass */
  const replay = (label: string, users: string[]): Workload => ({
    label,
    chunk() {
      const passes = Math.max(1, Math.round(N / users.length));
      const edits = users.map((u, i) => edit(i, u));
      let masker = new Masker({ keys, limits });
      return {
        n: passes * users.length,
        fn: (i) => {
          const j = i % users.length;
          if (j === 0) masker = new Masker({ keys, limits });
          masker.maskEdit(edits[j]!);
        },
      };
    },
  });

  const hmacW: Workload = {
    label: 'baseline: bare HMAC-SHA-256 (4-byte input)',
    chunk: () => ({ n: N * 2, fn: () => void createHmac('sha256', hk).update(ip4).digest() }),
  };
  const gcmW: Workload = {
    label: 'baseline: bare AES-256-GCM (40-byte record)',
    chunk: () => ({
      n: N * 2,
      fn: () => {
        const c = createCipheriv('aes-256-gcm', ak, randomBytes(12));
        c.update('{"v":1,"ip":"203.0.113.57","ua":"Mozilla"}');
        c.final();
        c.getAuthTag();
      },
    }),
  };
  const workloads: Workload[] = [
    distinct('maskEdit IPv4, distinct addresses', v4),
    distinct('maskEdit IPv6, distinct addresses', v6),
    replay(`maskEdit IPv4, 2015 day (${day.v4.length} ev, ${new Set(day.v4).size} addr)`, day.v4),
    replay(`maskEdit IPv6, 2015 day (${day.v6.length} ev, ${new Set(day.v6).size} addr)`, day.v6),
  ];

  console.log(
    `maskpatrol masking benchmark — ${ROUNDS} rounds of ~${N.toLocaleString('en-US')} events per workload, one core, ` +
      `node ${process.version}, ${os.cpus()[0]?.model ?? ''}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  // warm-up: every code path once (distinct workloads draw fresh addresses, so nothing is cached for later)
  for (const w of [hmacW, gcmW, ...workloads]) {
    const { n, fn } = w.chunk();
    time(Math.min(n, 5000), fn);
  }

  const rates = new Map<Workload, number[]>();
  const ratios = new Map<Workload, number[]>();
  const record = (w: Workload, v: number) => rates.set(w, [...(rates.get(w) ?? []), v]);
  /** a workload's chunk in slices of 50 events, each after a slice of 400 bare HMACs (same load for both) */
  const paired = (w: Workload) => {
    const { n, fn } = w.chunk();
    const base = hmacW.chunk().fn;
    let tw = 0;
    let th = 0;
    let hn = 0;
    for (let i = 0; i < n; i += 50) {
      th += time(400, base);
      hn += 400;
      tw += time(Math.min(50, n - i), (j) => fn(i + j));
    }
    record(hmacW, hn / th);
    record(w, n / tw);
    ratios.set(w, [...(ratios.get(w) ?? []), hn / th / (n / tw)]);
  };
  for (let r = 0; r < ROUNDS; r++) {
    const { n, fn } = gcmW.chunk();
    record(gcmW, n / time(n, fn));
    for (const w of workloads) paired(w);
  }

  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const k = (x: number) => `${(x / 1000).toFixed(1)}k`;
  console.log(`${''.padEnd(52)} ${'events per CPU-s (median, range)'.padEnd(28)} ${'µs each'.padEnd(8)} vs bare HMAC (median, range)`);
  for (const w of [hmacW, gcmW, ...workloads]) {
    const rs = rates.get(w)!;
    const m = median(rs);
    const q = ratios.get(w);
    const ratio = q ? `1/${median(q).toFixed(1)}  (1/${Math.min(...q).toFixed(1)}–1/${Math.max(...q).toFixed(1)})` : w === hmacW ? '1' : '';
    console.log(
      `${w.label.padEnd(52)} ${`${k(m)}/s (${k(Math.min(...rs))}–${k(Math.max(...rs))})`.padEnd(28)} ${(1e6 / m).toFixed(1).padEnd(8)} ${ratio}`,
    );
  }
  const v4med = median(rates.get(workloads[0]!)!);
  const hmacMed = median(rates.get(hmacW)!);
  writeReport(
    'masking',
    workloads.map((w, i) => ({
      metric: w.label,
      value: Math.round(median(rates.get(w)!)),
      unit: 'events/CPU-s',
      baseline: { label: 'bare HMAC-SHA-256', value: Math.round(hmacMed), unit: 'HMACs/CPU-s' },
      // value ÷ baseline from the paired rounds (1/x: one masking costs x bare HMACs)
      ratio: +(1 / median(ratios.get(w)!)).toFixed(3),
      target: i === 0 ? '≥ 20,000 events/CPU-s' : null,
      met: i === 0 ? v4med >= 20_000 : null,
    })),
  );
  console.log(`\nIPv4 distinct: ${Math.round(v4med).toLocaleString('en-US')} events per CPU-second in this run (target ≥ 20,000: ${v4med >= 20_000 ? 'met' : 'NOT met'}); load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
