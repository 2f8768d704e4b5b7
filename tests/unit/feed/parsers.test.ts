import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseActionApiDocument } from '@/lib/feed/parse-action-api';
import { parseEventStreamsEvent, parseEventStreamsLine } from '@/lib/feed/parse-eventstreams';
import { parseIrc2015Line } from '@/lib/feed/parse-irc2015';
import { channelToWiki, namespaceId } from '@/lib/feed/irc-names';
import { isStrictIp } from '@/lib/feed/ip';
import type { RawEdit } from '@/lib/feed/types';
import { ES_SAMPLE, IRC_SAMPLE, LV_SAMPLE, lines } from './fixtures';

function edits(results: { ok: boolean; edit?: RawEdit }[]): RawEdit[] {
  return results.filter((r) => r.ok).map((r) => r.edit as RawEdit);
}

describe('EventStreams parser (real sample)', () => {
  const results = lines(ES_SAMPLE).map(parseEventStreamsLine);

  it('parses all 100 events, 25 anonymous', () => {
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.ok)).toBe(true);
    const all = edits(results);
    expect(all.filter((e) => e.isAnon)).toHaveLength(25);
    expect(new Set(all.map((e) => e.sourceId)).size).toBe(100);
  });

  it('maps fields', () => {
    const e = edits(results)[0] as RawEdit;
    expect(e).toMatchObject({
      source: 'eventstreams',
      wiki: 'enwiki',
      sourceId: '0416300b-980c-45bb-b0a2-c9d7a9e2b7eb',
      rcId: 1659529639,
      revId: 1167689309,
      oldRevId: 1166824248,
      type: 'edit',
      namespace: 0,
      title: 'EFL Championship',
      timestamp: '2023-07-29T07:51:39.000Z',
      isAnon: true,
      isTemp: false,
      sizeOld: 91108,
      sizeNew: 91166,
      sizeDelta: 58,
      isPatrolled: null,
      serverUrl: 'https://en.wikipedia.org',
    });
  });

  const base = JSON.parse(lines(ES_SAMPLE, 1)[0] as string) as Record<string, unknown>;

  it('drops canary events as ignorable, not as dead letters', () => {
    const r = parseEventStreamsEvent({ ...base, meta: { ...(base.meta as object), domain: 'canary' } });
    expect(r).toEqual({ ok: false, reason: 'canary event', ignore: true });
  });

  it('handles log events, temp accounts and missing sizes', () => {
    const r = parseEventStreamsEvent({
      ...base,
      type: 'log',
      user: '~2026-12345-67',
      length: undefined,
      revision: undefined,
      minor: undefined,
      log_type: 'block',
      log_action: 'block',
      log_params: { duration: '1 day', flags: ['nocreate'] },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.edit).toMatchObject({ type: 'log', isTemp: true, isAnon: false, sizeOld: null, sizeNew: null, sizeDelta: null });
    expect(r.edit.logParams).toEqual({ duration: '1 day', flags: ['nocreate'] });
  });
});

describe('Action API parser (real lvwiki sample)', () => {
  const doc = parseActionApiDocument(fs.readFileSync(LV_SAMPLE), { wiki: 'lvwiki', serverUrl: 'https://lv.wikipedia.org' });

  it('parses 100 rows, 40 anonymous, and reads the continuation token', () => {
    expect(doc.ok).toBe(true);
    if (!doc.ok) return;
    expect(doc.page.rccontinue).toBe('20200408123437|9223787');
    const all = doc.page.rows.map((r) => r.result);
    expect(all.every((r) => r.ok)).toBe(true);
    expect(edits(all)).toHaveLength(100);
    expect(edits(all).filter((e) => e.isAnon)).toHaveLength(40);
    expect(edits(all).filter((e) => e.isNew)).toHaveLength(8);
  });

  it('maps ORES scores, tags, sizes and patrol state', () => {
    if (!doc.ok) throw new Error('unreachable');
    const e = (doc.page.rows[0]?.result as { edit: RawEdit }).edit;
    expect(e).toMatchObject({
      sourceId: 'rc:9235558',
      rcId: 9235558,
      wiki: 'lvwiki',
      tags: ['visualeditor'],
      ores: { damaging: 0.912, goodfaith: 0.016 },
      sizeDelta: 7,
      isPatrolled: false,
      timestamp: '2020-04-12T14:01:51.000Z',
    });
  });

  it('reports API errors (maxlag) instead of rows', () => {
    const r = parseActionApiDocument(JSON.stringify({ error: { code: 'maxlag', info: 'lagged' } }), { wiki: 'lvwiki' });
    expect(r).toEqual({ ok: true, page: { rows: [], rccontinue: null, error: { code: 'maxlag' } } });
  });
});

describe('2015 IRC feed parser (real druid sample)', () => {
  it('parses the first 5,000 lines with channel, namespace and country mapping', () => {
    const all = lines(IRC_SAMPLE, 5000).map(parseIrc2015Line);
    expect(all.every((r) => r.ok)).toBe(true);
    const e = edits(all);
    expect(e[0]).toMatchObject({ wiki: 'enwiki', namespace: 1, title: 'Talk:Oswald Tilghman', sizeDelta: 36, sizeOld: null });
    expect(e[2]).toMatchObject({ isAnon: true, country: 'AU', serverUrl: 'https://en.wikipedia.org' });
    expect(e[2]).not.toHaveProperty('city');
    expect(e.every((x) => x.sourceId.startsWith('irc:'))).toBe(true);
  });

  it('full file: 39,244 events, 3,799 flagged anonymous by the feed, plus unflagged IPv6 editors', () => {
    const raw = lines(IRC_SAMPLE);
    expect(raw).toHaveLength(39_244);
    const flagged = raw.filter((l) => (JSON.parse(l) as { isAnonymous: boolean }).isAnonymous).length;
    expect(flagged).toBe(3_799);
    const all = edits(raw.map(parseIrc2015Line));
    expect(all).toHaveLength(39_244);
    // wikiticker flags only IPv4 editors; 275 IPv6-named editors are anonymous as well
    expect(all.filter((e) => e.isAnon)).toHaveLength(4_074);
    expect(all.filter((e) => e.isAnon).every((e) => isStrictIp(e.user))).toBe(true);
    expect(new Set(all.map((e) => e.sourceId)).size).toBe(39_244);
  }, 60_000);

  it('maps channels and namespaces', () => {
    expect(channelToWiki('#en.wikipedia')?.wiki).toBe('enwiki');
    expect(channelToWiki('#fr.wiktionary')?.wiki).toBe('frwiktionary');
    expect(channelToWiki('#commons.wikimedia')?.wiki).toBe('commonswiki');
    expect(channelToWiki('#wikidata.wikipedia')?.wiki).toBe('wikidatawiki');
    expect(channelToWiki('#zh-min-nan.wikipedia')?.wiki).toBe('zh_min_nanwiki');
    expect(channelToWiki('#foo.example')?.wiki).toBe('foo_example');
    expect(channelToWiki('not a channel')).toBeNull();
    expect([namespaceId('Main'), namespaceId('User talk'), namespaceId('Benutzer Diskussion'), namespaceId('Zzz')]).toEqual([0, 3, 3, -1]);
  });

  it('keeps the IP out of the source id', () => {
    const line = JSON.parse(lines(IRC_SAMPLE, 3)[2] as string) as Record<string, unknown>;
    const a = parseIrc2015Line(JSON.stringify(line));
    const b = parseIrc2015Line(JSON.stringify({ ...line, user: '60.225.66.143', cityName: 'Elsewhere' }));
    expect(a.ok && b.ok && a.edit.sourceId === b.edit.sourceId).toBe(true);
  });

  it('takes a lone surrogate in a field it does not read (found by the fuzz): no throw, a stable source id', () => {
    const line = JSON.parse(lines(IRC_SAMPLE, 3)[2] as string) as Record<string, unknown>;
    const withLone = (v: unknown) => JSON.stringify({ ...line, extra: v }).replace(/"X(\d)"/g, (_m, d) => `"\\ud80${d}"`);
    const a = parseIrc2015Line(withLone('X0'));
    const b = parseIrc2015Line(withLone({ nested: ['X1'] }));
    const plain = parseIrc2015Line(JSON.stringify(line));
    expect(a.ok && b.ok && plain.ok).toBe(true);
    if (a.ok && b.ok && plain.ok) {
      expect(a.edit.sourceId).toMatch(/^irc:[0-9a-f]{64}$/);
      expect(parseIrc2015Line(withLone('X0'))).toEqual(a);
      expect(new Set([a.edit.sourceId, b.edit.sourceId, plain.edit.sourceId]).size).toBe(3);
    }
  });
});

describe('strict IP check', () => {
  it.each([
    ['1.2.3.4', true],
    ['2A02:1810:4D14:8F00:3D8C:9C41:87F:7A3F', true],
    ['::1', true],
    ['01.2.3.4', false],
    ['1.2.3', false],
    ['0x7f.0.0.1', false],
    ['256.1.1.1', false],
    [' 1.2.3.4', false],
    ['fe80::1%eth0', false],
    ['Example', false],
    ['~2026-12345-67', false],
  ])('%s → %s', (s, expected) => {
    expect(isStrictIp(s)).toBe(expected);
  });
});
