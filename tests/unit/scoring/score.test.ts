import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScorer } from '@/lib/scoring/score';
import { THRESHOLDS, WEIGHTS } from '@/lib/scoring/weights';
import { at, ipEdit, mask, revertOf, userEdit } from './helpers';
import { anonEdit } from '../../helpers/raw-edit';

const IP = '198.51.100.7';
const NEIGHBOUR = '198.51.100.99'; // same /24
const score = (e: ReturnType<typeof ipEdit>) => createScorer().score(e);
const ids = (r: { factors: { id: string }[] }) => r.factors.map((f) => f.id);

describe('edit features', () => {
  it('blanking raises the score, more blanking more', () => {
    const base = score(ipEdit(IP, { sizeOld: 5000, sizeNew: 5020, sizeDelta: 20 })).score;
    const half = score(ipEdit(IP, { sizeOld: 5000, sizeNew: 2400, sizeDelta: -2600 }));
    const most = score(ipEdit(IP, { sizeOld: 5000, sizeNew: 250, sizeDelta: -4750 }));
    expect(half.score).toBeGreaterThan(base);
    expect(most.score).toBeGreaterThan(half.score);
    expect(most.factors[0]).toMatchObject({ id: 'blanking', label: 'blanked 95 % of the page' });
  });

  it('unknown sizes contribute nothing; a delta alone still counts as a removal', () => {
    const unknown = score(ipEdit(IP, { sizeOld: null, sizeNew: null, sizeDelta: null }));
    expect(ids(unknown)).not.toContain('blanking');
    expect(ids(unknown)).not.toContain('removal');
    const removal = score(ipEdit(IP, { sizeOld: null, sizeNew: null, sizeDelta: -8000 }));
    expect(ids(removal)).toContain('removal');
    expect(ids(removal)).not.toContain('blanking');
  });

  it('IP and temporary actors score above registered ones; bots far below', () => {
    const ip = score(ipEdit(IP)).score;
    const temp = score(userEdit('~2026-12345-67', { isTemp: true })).score;
    const user = score(userEdit('Regular')).score;
    const bot = score(userEdit('SomeBot', { isBot: true })).score;
    expect(ip).toBeGreaterThan(temp);
    expect(temp).toBeGreaterThan(user);
    expect(user).toBeGreaterThan(bot);
  });

  it('page creation by a logged-out editor, tiny pages, summary signals', () => {
    const plain = score(ipEdit(IP)).score;
    expect(score(ipEdit(IP, { type: 'new', isNew: true, sizeOld: null, sizeNew: 40, sizeDelta: 40 })).factors.map((f) => f.id)).toEqual(
      expect.arrayContaining(['newPageAnon', 'tinyNewPage']),
    );
    for (const comment of ['', 'THIS PAGE IS WRONG', 'you suck', 'hahahaaaaaa', "[[WP:AES|←]]Replaced content with 'x'"]) {
      expect(score(ipEdit(IP, { comment })).score, comment).toBeGreaterThan(plain);
    }
    // null = the feed omitted the summary: unknown, not "empty"
    expect(ids(score(ipEdit(IP, { comment: null })))).not.toContain('noSummary');
    expect(score(ipEdit(IP, { comment: 'rv vandalism' })).score).toBeLessThan(plain);
  });

  it('scores stay in (0, 1) for arbitrary edits', () => {
    const scorer = createScorer({ maxActors: 50 });
    fc.assert(
      fc.property(
        fc.record({
          sizeOld: fc.option(fc.integer({ min: 0, max: 1e6 })),
          sizeDelta: fc.option(fc.integer({ min: -1e6, max: 1e6 })),
          comment: fc.option(fc.string({ maxLength: 80 })),
          namespace: fc.integer({ min: -2, max: 3000 }),
          isBot: fc.boolean(),
          isMinor: fc.boolean(),
          octet: fc.integer({ min: 1, max: 254 }),
        }),
        (r) => {
          const e = mask(anonEdit(`203.0.113.${r.octet}`, { ...r, sizeNew: null }));
          const s = scorer.score(e);
          expect(s.score).toBeGreaterThan(0);
          expect(s.score).toBeLessThan(1);
          expect(s.factors.length).toBeLessThanOrEqual(THRESHOLDS.topFactors);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('factors', () => {
  it('are the top positive contributions, largest first, at most five, with their weights', () => {
    const scorer = createScorer();
    scorer.score(revertOf(IP, 0));
    scorer.score(userEdit('Patroller', { timestamp: at(5), namespace: 3, title: `User talk:${IP}`, comment: 'Final warning: vandalism' }));
    const r = scorer.score(
      ipEdit(IP, { timestamp: at(60), comment: 'FUCK THIS PAGE!!!!!', sizeOld: 4000, sizeNew: 100, sizeDelta: -3900 }),
    );
    expect(r.factors).toHaveLength(5);
    const c = r.factors.map((f) => f.contribution);
    expect([...c].sort((a, b) => b - a)).toEqual(c);
    expect(c.every((v) => v > 0)).toBe(true);
    expect(r.factors[0]!.id).toBe('blanking');
    expect(r.factors.find((f) => f.id === 'profanity')?.contribution).toBe(WEIGHTS.profanity);
    expect(ids(r)).not.toContain('article'); // a smaller contribution than the five shown
  });
});

describe('history', () => {
  it('credits a revert to the named actor (not the reverter, not the restored version) and its range', () => {
    const scorer = createScorer();
    scorer.score(ipEdit(IP, { timestamp: at(0) }));
    scorer.score(ipEdit(NEIGHBOUR, { timestamp: at(1) }));
    scorer.score(revertOf(IP, 10));
    scorer.score(revertOf(IP, 20));
    const again = scorer.score(ipEdit(IP, { timestamp: at(60) }));
    expect(again.factors[0]).toMatchObject({ id: 'revertedBefore', label: 'reverted twice in the last hour' });
    const patroller = scorer.score(userEdit('Patroller', { timestamp: at(70) }));
    expect(ids(patroller)).not.toContain('revertedBefore');
    const restored = scorer.score(userEdit('Goodfaith', { timestamp: at(71) }));
    expect(ids(restored)).not.toContain('revertedBefore');
    // the neighbour shares the /24 and was not reverted itself
    const neighbour = scorer.score(ipEdit(NEIGHBOUR, { timestamp: at(80) }));
    expect(neighbour.factors.find((f) => f.id === 'rangeReverts')?.label).toMatch(/^2 reverts of other editors in R24-/);
    expect(ids(neighbour)).not.toContain('revertedBefore');
  });

  it('counts warnings left by others on the talk page, not the owner’s own edits there', () => {
    const scorer = createScorer();
    scorer.score(ipEdit(IP, { timestamp: at(0), namespace: 3, title: `User talk:${IP}`, comment: 'warning: I am not a vandal' }));
    expect(ids(scorer.score(ipEdit(IP, { timestamp: at(30) })))).not.toContain('warned');
    scorer.score(userEdit('Patroller', { timestamp: at(40), namespace: 3, title: `User talk:${IP}`, comment: 'Caution: Unconstructive editing ([[WP:TW|TW]])' }));
    expect(scorer.score(ipEdit(IP, { timestamp: at(50) })).factors.find((f) => f.id === 'warned')?.label).toBe('warned once on its talk page');
  });

  it('burst: the actor’s own recent edits', () => {
    const scorer = createScorer();
    let last = scorer.score(ipEdit(IP, { timestamp: at(0) }));
    for (let i = 1; i < 5; i++) last = scorer.score(ipEdit(IP, { timestamp: at(i * 25) }));
    expect(last.factors.find((f) => f.id === 'burst')?.label).toBe('5 edits in 2 minutes');
    expect(ids(scorer.score(ipEdit(IP, { timestamp: at(3600) })))).not.toContain('burst');
  });

  it('decays: reverts and warnings older than the window stop counting', () => {
    const scorer = createScorer();
    scorer.score(revertOf(IP, 0));
    const windowSec = THRESHOLDS.historyWindowMs / 1000;
    expect(ids(scorer.score(ipEdit(IP, { timestamp: at(windowSec - 60) })))).toContain('revertedBefore');
    expect(ids(scorer.score(ipEdit(IP, { timestamp: at(windowSec + 60) })))).not.toContain('revertedBefore');
  });

  it('stays bounded: never more actors or ranges than its capacity', () => {
    const scorer = createScorer({ maxActors: 100, maxRanges: 10 });
    for (let i = 0; i < 1000; i++) {
      const ip = `10.${i % 50}.${(i >> 3) & 255}.${i & 255}`;
      scorer.score(ipEdit(ip, { timestamp: at(i) }));
      scorer.score(revertOf(ip, i));
    }
    expect(scorer.size.actors).toBeLessThanOrEqual(100);
    expect(scorer.size.ranges).toBeLessThanOrEqual(10);
  });

  it('no look-ahead: an edit’s score is the same whatever arrives after it', () => {
    const events = [ipEdit(IP, { timestamp: at(0) }), revertOf(IP, 5), ipEdit(IP, { timestamp: at(9) }), revertOf(IP, 12), ipEdit(IP, { timestamp: at(15) })];
    const all = (() => {
      const s = createScorer();
      return events.map((e) => s.score(e).score);
    })();
    for (let n = 1; n <= events.length; n++) {
      const s = createScorer();
      const prefix = events.slice(0, n).map((e) => s.score(e).score);
      expect(prefix).toEqual(all.slice(0, n));
    }
    // the first edit was scored before its revert arrived
    expect(all[0]).toBeLessThan(all[2]!);
  });

  it('asks the block callback and scores a blocked actor or range higher', () => {
    const seen: string[] = [];
    const scorer = createScorer({
      isBlocked: (actor, ranges, wiki) => {
        seen.push(`${wiki}:${actor.slice(0, 3)}:${ranges.length}`);
        return { actor: false, range: true };
      },
    });
    const r = scorer.score(ipEdit(IP));
    expect(seen).toEqual(['enwiki:ip::2']);
    expect(r.factors[0]).toMatchObject({ id: 'rangeBlocked' });
    expect(createScorer({ isBlocked: () => true }).score(ipEdit(IP)).factors[0]?.id).toBe('blocked');
    expect(r.score).toBeGreaterThan(createScorer().score(ipEdit(IP)).score);
  });
});
