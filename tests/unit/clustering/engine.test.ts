import { afterAll, describe, expect, it } from 'vitest';
import { createClusterEngine } from '@/lib/clustering/engine';
import type { RawEdit } from '@/lib/feed/types';
import type { MaskedEdit } from '@/lib/masking/types';
import { keysDir, masker } from '../../helpers/clustering';
import { rawEdit } from '../../helpers/raw-edit';

const keys = keysDir();
afterAll(keys.cleanup);
const m = masker(keys.dir);
const T0 = Date.parse('2026-03-03T12:00:00Z');
const MIN = 60_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();
const temp = (n: number, ip: string, ms: number, over: Partial<RawEdit> = {}): MaskedEdit =>
  m.maskEdit(rawEdit({ user: `~2026-${20_000 + n}-01`, isTemp: true, ip, timestamp: at(ms), ...over })).masked;
let ids = 0;
const feed = (engine: ReturnType<typeof createClusterEngine>, edit: MaskedEdit, score?: number) => engine.observe({ id: String(++ids), edit, score });

describe('cluster engine', () => {
  it('clusters IP editors and temporary accounts only', () => {
    const engine = createClusterEngine();
    expect(feed(engine, m.maskEdit(rawEdit({ user: 'Alder Quill', timestamp: at(0) })).masked)).toEqual({ memberKey: null, clusterId: null });
    expect(feed(engine, m.maskEdit(rawEdit({ user: 'FixBot', isBot: true, timestamp: at(0) })).masked).memberKey).toBeNull();
    expect(feed(engine, m.maskEdit(rawEdit({ user: '198.51.100.7', isAnon: true, timestamp: at(0) })).masked).memberKey).toMatch(/^ip:[0-9a-f]{64}$/);
    expect(feed(engine, temp(1, '198.51.100.8', 0)).memberKey).toBe('temp:~2026-20001-01');
  });

  it('writes its reasons from the evidence', () => {
    const engine = createClusterEngine();
    const ua = 'Mozilla/5.0 (X11; Linux) Custom/1.0';
    const summaries = ['fixed info per source', 'fixed info per sources', 'fixed the info per source', 'fixed info per source'];
    const pages = ['Acme Widgets Ltd', 'John Q. Example', 'Widget safety controversy'];
    for (let i = 0; i < 11; i++) {
      const edit = temp(i % 4, `203.0.113.${10 + (i % 4)}`, i * 2 * MIN, { userAgent: ua, title: pages[i % 3] as string, comment: summaries[i % 4] as string });
      feed(engine, edit);
    }
    const [c] = engine.changedSince(0);
    expect(c?.memberCount).toBe(4);
    expect(c?.reasons[0]).toMatch(/^4 temporary accounts in one \/24 range \(R24-[0-9A-Z]{4}-[0-9A-Z]{4}\)$/);
    expect(c?.reasons).toContain('4 temporary accounts co-edited the same 3 pages');
    expect(c?.reasons).toContain('11 edits to 3 pages in 20 min');
    expect(c?.reasons.some((r) => /^summaries \d+ % alike$/.test(r))).toBe(true);
    expect(c?.reasons.some((r) => /^4 temporary accounts share one user agent \(UA-[0-9A-Z]{4}-[0-9A-Z]{4}\)$/.test(r))).toBe(true);
    expect(c?.links.range).toBeGreaterThan(0);
    expect(c?.editCount).toBe(11);
  });

  it('keeps the older id when clusters merge and reports the absorbed one', () => {
    const engine = createClusterEngine();
    const own = (n: number) => ({ title: `Page ${n}`, comment: null });
    feed(engine, temp(1, '203.0.113.1', 0, own(1)), 0.9);
    feed(engine, temp(2, '203.0.113.2', 10_000, own(2)), 0.9);
    feed(engine, temp(3, '198.51.100.1', 20_000, own(3)), 0.9);
    feed(engine, temp(4, '198.51.100.2', 30_000, own(4)), 0.9);
    const [a, b] = engine.changedSince(0).map((c) => c.id);
    expect(a).not.toBe(b);
    const mark = engine.mark();
    // member 2 of the older cluster shows up in the younger one's /24
    const r = feed(engine, temp(2, '198.51.100.3', 40_000, own(5)), 0.9);
    expect(r.clusterId).toBe(a);
    const changed = engine.changedSince(mark);
    expect(changed.find((c) => c.id === b)).toMatchObject({ status: 'merged', mergedInto: a, reasons: [`merged into ${a}`] });
    expect(changed.find((c) => c.id === a)).toMatchObject({ status: 'active', absorbed: [b], memberCount: 4, editCount: 5 });
    expect(engine.memberCluster('temp:~2026-20004-01')).toBe(a);
    expect(engine.changedSince(engine.mark())).toEqual([]);
  });

  it('decays heat, closes after inactivity and forgets closed clusters later', () => {
    const engine = createClusterEngine({ heatHalfLifeMs: 10 * MIN, closeAfterMs: 60 * MIN, retainClosedMs: 30 * MIN });
    feed(engine, temp(1, '203.0.113.1', 0), 0.9);
    feed(engine, temp(2, '203.0.113.2', MIN), 0.9);
    const id = engine.memberCluster('temp:~2026-20001-01') as string;
    const hot = engine.cluster(id)?.heat as number;
    expect(hot).toBeCloseTo(1.6 * 2 ** -0.1 + 1.6, 2); // two edits scored 0.9 (1.6 each), the first a minute older
    engine.tick(T0 + 11 * MIN);
    expect(engine.cluster(id)?.heat).toBeCloseTo(hot / 2, 1);
    expect(engine.cluster(id)?.status).toBe('active');
    const mark = engine.mark();
    engine.tick(T0 + 62 * MIN);
    expect(engine.changedSince(mark)).toMatchObject([{ id, status: 'closed', closedAt: at(61 * MIN) }]);
    expect(engine.memberCluster('temp:~2026-20001-01')).toBeNull();
    // a returning member starts afresh
    feed(engine, temp(1, '203.0.113.1', 63 * MIN), 0.9);
    expect(engine.memberCluster('temp:~2026-20001-01')).toBeNull();
    engine.tick(T0 + 95 * MIN);
    expect(engine.cluster(id)).toBeNull();
  });

  it('grows a cluster past maxClusterSize only on a shared narrow range', () => {
    const engine = createClusterEngine({ maxClusterSize: 3, giantLinkScore: 10 });
    const pages = ['Acme Widgets Ltd', 'John Q. Example', 'Widget safety controversy'];
    // six accounts in six different /16s, chained only by pages and summaries
    for (let i = 0; i < 18; i++) {
      const title = pages[(i + Math.floor(i / 6)) % 3] as string;
      feed(engine, temp(i % 6, `${30 + (i % 6)}.1.1.1`, i * 20_000, { title, comment: 'fixed info per source' }));
    }
    expect(Math.max(...engine.changedSince(0).filter((c) => c.status !== 'merged').map((c) => c.memberCount))).toBeLessThanOrEqual(3);
    expect(engine.stats().refusedLinks).toBeGreaterThan(0);
    // six accounts in one /24 with damaging edits: one cluster of six
    const wave = createClusterEngine({ maxClusterSize: 3, giantLinkScore: 10 });
    for (let i = 0; i < 6; i++) feed(wave, temp(50 + i, `203.0.113.${i + 1}`, i * 20_000), 0.9);
    expect(wave.changedSince(0).filter((c) => c.status === 'active').map((c) => c.memberCount)).toEqual([6]);
  });

  it('aggregates per actor and per range with bucketed counts', () => {
    const engine = createClusterEngine();
    const edits = [1, 2, 3, 4].map((i) => temp(i, `203.0.113.${i}`, i * 1000));
    edits.forEach((e) => feed(engine, e, 0.9));
    const r24 = edits[0]?.ip?.ranges.find((r) => r.prefix === 24);
    const range = engine.range(r24?.key as string);
    expect(range).toMatchObject({ display: r24?.display, prefix: 24, actors: 4, actorBucket: '3–5', edits: 4, editBucket: '3–5' });
    expect(range?.clusterIds).toHaveLength(1);
    expect(engine.actor('temp:~2026-20001-01')).toMatchObject({ kind: 'temp', edits: 1, clusterId: range?.clusterIds[0] });
    expect(engine.range('nope')).toBeNull();
  });

  it('rejects nonsense configuration', () => {
    expect(() => createClusterEngine({ windowMs: -1 })).toThrow(RangeError);
    expect(() => createClusterEngine({ fanoutCap: 0 })).toThrow(RangeError);
  });
});
