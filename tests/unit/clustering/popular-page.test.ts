import { afterAll, describe, expect, it } from 'vitest';
import { createClusterEngine } from '@/lib/clustering/engine';
import { Prng } from '@/lib/feed/demo/prng';
import type { RawEdit } from '@/lib/feed/types';
import { keysDir, masker } from '../../helpers/clustering';
import { rawEdit } from '../../helpers/raw-edit';

const keys = keysDir();
afterAll(keys.cleanup);
const m = masker(keys.dir);
const T0 = Date.parse('2026-03-03T12:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const POPULAR = ['Queen Elizabeth II', 'Talk:Queen Elizabeth II', 'Deaths in 2026'];
const SUMMARIES = ['copyedit', 'add ref', 'fix typo', 'update infobox', 'rm unsourced claim', 'clarify', 'per talk', 'expand lead',
  'add date of death', 'wikilink', 'tense', 'sp', 'grammar fix', 'ce', 'rv', 'reword'];

/** A temporary account with its (trusted-producer) IP: each in its own /16, so no range links them. */
const temp = (i: number, over: Partial<RawEdit>): RawEdit =>
  rawEdit({ user: `~2026-${10_000 + i}-01`, isTemp: true, ip: `${20 + i}.${i}.7.${10 + i}`, ...over });

describe('editors who merely edit a popular page', () => {
  it('are not merged, while two socks hiding among them are found', () => {
    const rng = new Prng(3);
    const engine = createClusterEngine();
    const feed: RawEdit[] = [];
    // the pages were already busy before: registered editors all morning
    for (let s = -3600; s < 0; s += 40) feed.push(rawEdit({ user: `Regular ${s % 17}`, title: rng.pick(POPULAR), timestamp: at(s), comment: rng.pick(SUMMARIES) }));
    // then 60 unrelated temporary accounts, each editing 2–3 of the popular pages within minutes, interleaved
    let s = 0;
    for (let i = 0; i < 60; i++) {
      for (const title of [...POPULAR].sort(() => rng.next() - 0.5).slice(0, rng.int(2, 3))) {
        s += rng.int(5, 30);
        feed.push(temp(i, { title, timestamp: at(s), comment: rng.pick(SUMMARIES) }));
        if (rng.chance(0.5)) feed.push(rawEdit({ user: `Regular ${i % 17}`, title: rng.pick(POPULAR), timestamp: at(s + 1), comment: 'ce' }));
      }
    }
    // two socks in different ranges: the same three obscure pages and look-alike summaries, among the crowd
    const SOCK_PAGES = ['Acme Widgets Ltd', 'Widget safety controversy', 'John Q. Example'];
    for (let k = 0; k < 6; k++) {
      feed.push(temp(100, { title: SOCK_PAGES[k % 3] as string, timestamp: at(600 + k * 60), comment: 'fixed info per reliable source' }));
      feed.push(temp(101, { ip: '2001:db8:9:1::5', title: SOCK_PAGES[(k + 1) % 3] as string, timestamp: at(630 + k * 60), comment: 'fixed the info per reliable sources' }));
    }
    feed.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    const masked = feed.map((raw) => m.maskEdit(raw).masked);
    for (const [i, edit] of masked.entries()) engine.observe({ id: String(i), edit });

    const clusters = engine.changedSince(0);
    expect(clusters).toHaveLength(1);
    const [sock] = clusters;
    expect(sock?.members.map((x) => x.display).sort()).toEqual(['~2026-10100-01', '~2026-10101-01']);
    expect(sock?.reasons).toContain('2 temporary accounts co-edited the same 3 pages');
    expect(engine.stats().clustered).toBeGreaterThan(150);

    // what protects the crowd is the page's rarity weight: without it, the crowd merges
    const naive = createClusterEngine({ pageFullEditors: 1e6 });
    for (const [i, edit] of masked.entries()) naive.observe({ id: String(i), edit });
    expect(Math.max(...naive.changedSince(0).map((c) => c.memberCount))).toBeGreaterThan(10);
  });
});
