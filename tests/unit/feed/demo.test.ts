import { describe, expect, it } from 'vitest';
import { activeScenarios, DemoGenerator, type DemoEvent, type Scenario } from '@/lib/feed/demo/generator';
import { demoFeed } from '@/lib/feed/demo/feed';
import { ipInCidr, isStrictIp } from '@/lib/feed/ip';
import type { FeedItem } from '@/lib/feed/result';

// Tuesday 2026-03-03 05:00 UTC (07:00 at the school): covers a school morning, several waves and sock bursts
const START = Date.parse('2026-03-03T05:00:00Z');
const DOC_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'];
const ipOf = (e: DemoEvent) => e.edit.ip ?? (e.edit.isAnon ? e.edit.user : null);
const by = (events: DemoEvent[], s: Scenario) => events.filter((e) => e.scenario === s);

describe('demo generator', () => {
  const events = new DemoGenerator({ seed: 42, start: START }).take(20_000);

  it('is deterministic for a seed and differs between seeds', () => {
    expect(new DemoGenerator({ seed: 42, start: START }).take(500)).toEqual(events.slice(0, 500));
    expect(new DemoGenerator({ seed: 43, start: START }).take(500)).not.toEqual(events.slice(0, 500));
  });

  it('uses an injectable clock for its start and keeps time ordered', () => {
    const g = new DemoGenerator({ seed: 1, clock: () => START });
    const first = g.next();
    expect(Date.parse(first.edit.timestamp)).toBeGreaterThan(START);
    expect(events.every((e, i) => i === 0 || e.edit.timestamp >= (events[i - 1] as DemoEvent).edit.timestamp)).toBe(true);
  });

  it('produces every scenario, with the label outside the RawEdit', () => {
    for (const s of ['registered', 'bot', 'temp-account', 'vandal-wave', 'school', 'sock-cluster', 'ipv6-hopper'] as const) {
      expect(by(events, s).length, s).toBeGreaterThan(20);
    }
    expect(JSON.stringify(events[0]?.edit)).not.toContain('scenario');
    expect(by(events, 'bot').every((e) => e.edit.isBot)).toBe(true);
    expect(by(events, 'temp-account').every((e) => /^~2026-\d{5}-\d{2}$/.test(e.edit.user) && e.edit.isTemp)).toBe(true);
  });

  it('generates only documentation-range IPs, and every unregistered edit has one', () => {
    for (const e of events) {
      const ip = ipOf(e);
      if (e.edit.isTemp || e.edit.isAnon) expect(ip).not.toBeNull();
      if (ip) {
        expect(isStrictIp(ip)).toBe(true);
        expect(DOC_RANGES.some((r) => ipInCidr(ip, r))).toBe(true);
      }
    }
  });

  it('vandal wave: many addresses, all in one /24, blanking with short summaries', () => {
    const wave = by(events, 'vandal-wave');
    const ips = new Set(wave.map(ipOf));
    expect(ips.size).toBeGreaterThan(50);
    expect([...ips].every((ip) => ipInCidr(ip as string, '203.0.113.0/24'))).toBe(true);
    expect(wave.every((e) => (e.edit.sizeDelta ?? 0) < -2000 && (e.edit.comment ?? '').length <= 20)).toBe(true);
    expect(wave.every((e) => activeScenarios(Date.parse(e.edit.timestamp)).wave)).toBe(true);
  });

  it('the wave schedule is configurable: always on, never, or its own period', () => {
    const always = new DemoGenerator({ seed: 7, start: START, wave: { everyMinutes: 30, lengthMinutes: 30 } }).take(400);
    const never = new DemoGenerator({ seed: 7, start: START, wave: { everyMinutes: 30, lengthMinutes: 0 } }).take(2000);
    expect(by(always, 'vandal-wave').length).toBeGreaterThan(50);
    expect(by(never, 'vandal-wave')).toEqual([]);
    const t = Date.parse('2026-03-03T10:05:00Z'); // 5 minutes into a 10-minute-period slot
    expect(activeScenarios(t, 120, { everyMinutes: 10, lengthMinutes: 6 }).wave).toBe(true);
    expect(activeScenarios(t, 120, { everyMinutes: 10, lengthMinutes: 5 }).wave).toBe(false);
  });

  it('school: one /24, weekdays 08–15 local only, IP named as the user (unmasked wiki)', () => {
    const school = by(events, 'school');
    expect(school.every((e) => e.edit.isAnon && ipInCidr(e.edit.user, '198.51.100.0/24'))).toBe(true);
    for (const e of school) {
      const local = new Date(Date.parse(e.edit.timestamp) + 120 * 60_000);
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(8);
      expect(local.getUTCHours()).toBeLessThan(15);
      expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
    }
  });

  it('sock cluster: 3–5 accounts in different ranges co-editing the same 3 pages within minutes', () => {
    const socks = by(events, 'sock-cluster');
    const accounts = new Map(socks.map((e) => [e.edit.user, ipOf(e) as string]));
    expect(accounts.size).toBeGreaterThanOrEqual(3);
    expect(accounts.size).toBeLessThanOrEqual(5);
    const ranges = [...accounts.values()].map((ip) => (ip.includes(':') ? ip.split(':').slice(0, 3).join(':') : ip.split('.').slice(0, 3).join('.')));
    expect(new Set(ranges).size).toBe(accounts.size);
    expect(new Set(socks.map((e) => e.edit.title)).size).toBe(3);
    expect(socks.every((e) => /info,? per sources?$/.test(e.edit.comment ?? ''))).toBe(true);
    // every burst has at least two different socks on the same page less than 15 minutes apart
    const first = Date.parse((socks[0] as DemoEvent).edit.timestamp);
    const burst = socks.filter((e) => Date.parse(e.edit.timestamp) - first < 15 * 60_000);
    const page = burst[0]?.edit.title;
    expect(new Set(burst.filter((e) => e.edit.title === page).map((e) => e.edit.user)).size).toBeGreaterThanOrEqual(2);
  });

  it('IPv6 hopper: many addresses within one /64', () => {
    const hop = by(events, 'ipv6-hopper');
    const ips = new Set(hop.map(ipOf));
    expect(ips.size).toBeGreaterThan(20);
    expect([...ips].every((ip) => ipInCidr(ip as string, '2001:db8:f00d:77::/64'))).toBe(true);
  });
});

describe('demo feed', () => {
  it('releases events on the injected clock and hides scenario labels', async () => {
    let clock = START;
    const ac = new AbortController();
    const items: FeedItem[] = [];
    for await (const item of demoFeed({ seed: 7, clock: () => clock, signal: ac.signal, sleep: async (ms) => { clock += ms; } })) {
      items.push(item);
      if (items.length === 50) ac.abort();
    }
    expect(items).toHaveLength(50);
    expect(items.every((x) => x.kind === 'edit' && !('scenario' in x))).toBe(true);
    const last = items[49];
    expect(last?.kind === 'edit' && Date.parse(last.edit.timestamp)).toBe(clock);
  });
});
