import { isStrictIp } from '../ip';
import type { RawEdit } from '../types';
import {
  ARTICLES, BOTS, BOT_SUMMARIES, DEMO_WIKIS, GOOD_SUMMARIES, RANGES, REGISTERED_USERS, SCHOOL_ARTICLES,
  SCHOOL_SUMMARIES, SOCK_PAGES, SOCK_SUMMARIES, VANDAL_SUMMARIES, type DemoWiki,
} from './data';
import { Prng } from './prng';

/**
 * Deterministic demo traffic: the same seed and start time give the same events. Each event comes with
 * the scenario that produced it; the label is for tests and benchmarks only and is NOT part of the
 * RawEdit, so the app cannot see it.
 */
export type Scenario = 'registered' | 'bot' | 'temp-account' | 'vandal-wave' | 'school' | 'sock-cluster' | 'ipv6-hopper';

export interface DemoEvent {
  edit: RawEdit;
  scenario: Scenario;
}

export interface DemoOptions {
  seed: number;
  /** virtual time of the first event (epoch ms); default: clock() */
  start?: number;
  clock?: () => number;
  /** mean gap between events; default 2000 ms */
  meanIntervalMs?: number;
  /** the school's UTC offset in minutes (its lessons run on weekdays 08:00–15:00 local); default 120 */
  schoolUtcOffsetMinutes?: number;
  /** when the vandal wave runs: `lengthMinutes` out of every `everyMinutes`; default 20 of every 120 */
  wave?: WaveSchedule;
}

export interface WaveSchedule {
  everyMinutes: number;
  lengthMinutes: number;
}

const MIN = 60_000;
export const DEFAULT_WAVE: WaveSchedule = { everyMinutes: 120, lengthMinutes: 20 };
const SOCK_PERIOD = 90 * MIN;
const SOCK_FROM = 45 * MIN;
const SOCK_LENGTH = 12 * MIN;

interface Actor {
  user: string;
  ip: string | null;
}

/** The scenario windows, exposed so tests and docs agree with the generator. */
export function activeScenarios(
  t: number,
  schoolUtcOffsetMinutes = 120,
  wave: WaveSchedule = DEFAULT_WAVE,
): { wave: boolean; sock: boolean; school: boolean } {
  const local = new Date(t + schoolUtcOffsetMinutes * MIN);
  const day = local.getUTCDay();
  const hour = local.getUTCHours();
  return {
    wave: t % (wave.everyMinutes * MIN) < wave.lengthMinutes * MIN,
    sock: t % SOCK_PERIOD >= SOCK_FROM && t % SOCK_PERIOD < SOCK_FROM + SOCK_LENGTH,
    school: day >= 1 && day <= 5 && hour >= 8 && hour < 15,
  };
}

export class DemoGenerator {
  private readonly rng: Prng;
  private t: number;
  private readonly mean: number;
  private readonly schoolOffset: number;
  private readonly wave: WaveSchedule;
  private tempSerial: number;
  private readonly ids = new Map<string, { rc: number; rev: number }>();
  private readonly socks: Actor[];
  private hopperActor: Actor | null = null;
  private hopperEdits = 0;
  private waveActor: Actor | null = null;

  constructor(opts: DemoOptions) {
    this.rng = new Prng(opts.seed);
    this.t = opts.start ?? (opts.clock ?? Date.now)();
    this.mean = opts.meanIntervalMs ?? 2000;
    this.schoolOffset = opts.schoolUtcOffsetMinutes ?? 120;
    this.wave = opts.wave ?? DEFAULT_WAVE;
    this.tempSerial = this.rng.int(10_000, 50_000);
    const n = this.rng.int(3, 5);
    // one sock on IPv4, the others each in their own IPv6 /48: no two share a range
    this.socks = Array.from({ length: n }, (_, i) => ({
      user: this.tempName(),
      ip: i === 0 ? RANGES.sockIpv4 : `${RANGES.sockIpv6Prefixes[i - 1]}:${this.rng.hex16()}::${this.rng.hex16()}`,
    }));
  }

  next(): DemoEvent {
    this.t += Math.max(1, Math.round(this.rng.exp(this.mean)));
    const scenario = this.chooseScenario();
    return { edit: this.make(scenario), scenario };
  }

  take(n: number): DemoEvent[] {
    return Array.from({ length: n }, () => this.next());
  }

  /** virtual time of the latest event */
  get now(): number {
    return this.t;
  }

  private chooseScenario(): Scenario {
    const on = activeScenarios(this.t, this.schoolOffset, this.wave);
    const weights: [Scenario, number][] = [
      ['registered', 55],
      ['bot', 12],
      ['temp-account', 15],
      ['ipv6-hopper', 3],
      ['vandal-wave', on.wave ? 25 : 0],
      ['school', on.school ? 10 : 0],
      ['sock-cluster', on.sock ? 12 : 0],
    ];
    let r = this.rng.next() * weights.reduce((s, [, w]) => s + w, 0);
    for (const [s, w] of weights) {
      r -= w;
      if (r < 0) return s;
    }
    return 'registered';
  }

  private make(s: Scenario): RawEdit {
    const rng = this.rng;
    const wiki = (id: DemoWiki['id']) => DEMO_WIKIS.find((w) => w.id === id) as DemoWiki;
    switch (s) {
      case 'registered':
        return this.edit(rng.pick(DEMO_WIKIS), { user: rng.pick(REGISTERED_USERS), ip: null }, rng.pick(ARTICLES), rng.pick(GOOD_SUMMARIES), rng.int(-300, 900));
      case 'bot': {
        const e = this.edit(rng.pick(DEMO_WIKIS), { user: rng.pick(BOTS), ip: null }, rng.pick(ARTICLES), rng.pick(BOT_SUMMARIES), rng.int(-40, 40));
        return { ...e, isBot: true, isMinor: true };
      }
      case 'temp-account': {
        const ip = rng.chance(0.5) ? `192.0.2.${rng.int(1, 200)}` : `2001:db8:${rng.int(0x1000, 0x4fff).toString(16)}:${rng.hex16()}::${rng.hex16()}`;
        const w = rng.pick(DEMO_WIKIS.filter((x) => x.masked));
        return this.edit(w, this.anonActor(ip, w), rng.pick(ARTICLES), rng.pick(GOOD_SUMMARIES), rng.int(-100, 600));
      }
      case 'vandal-wave': {
        // a new address from the /24 every one or two edits
        if (!this.waveActor || rng.chance(0.6)) this.waveActor = { user: this.tempName(), ip: `203.0.113.${rng.int(1, 254)}` };
        const e = this.edit(wiki('enwiki'), this.waveActor, rng.pick(ARTICLES), rng.pick(VANDAL_SUMMARIES), 0);
        const sizeOld = rng.int(3_000, 60_000);
        const sizeNew = rng.int(0, 120);
        return { ...e, sizeOld, sizeNew, sizeDelta: sizeNew - sizeOld, tags: sizeNew < 50 ? ['mw-blank'] : ['mw-replace'] };
      }
      case 'school': {
        const ip = `198.51.100.${rng.int(10, 41)}`;
        return this.edit(wiki('lvwiki'), this.anonActor(ip, wiki('lvwiki')), rng.pick(SCHOOL_ARTICLES), rng.pick(SCHOOL_SUMMARIES), rng.int(-2_000, 200));
      }
      case 'sock-cluster':
        return this.edit(wiki('enwiki'), rng.pick(this.socks), rng.pick(SOCK_PAGES), rng.pick(SOCK_SUMMARIES), rng.int(80, 400));
      case 'ipv6-hopper': {
        if (!this.hopperActor || this.hopperEdits++ % 4 === 3) this.hopperActor = { user: this.tempName(), ip: null };
        const ip = `2001:db8:f00d:77:${rng.hex16()}:${rng.hex16()}:${rng.hex16()}:${rng.hex16()}`;
        return this.edit(wiki('dewiki'), { user: this.hopperActor.user, ip }, rng.pick(ARTICLES), rng.pick(GOOD_SUMMARIES), rng.int(-500, 500));
      }
    }
  }

  /** An unregistered editor: a temporary account with its IP on wikis that mask, the bare IP elsewhere. */
  private anonActor(ip: string, wiki: DemoWiki): Actor {
    return wiki.masked ? { user: this.tempName(), ip } : { user: ip.toUpperCase(), ip: null };
  }

  private tempName(): string {
    this.tempSerial += this.rng.int(1, 9);
    return `~${new Date(this.t).getUTCFullYear()}-${this.tempSerial}-${String(this.rng.int(0, 99)).padStart(2, '0')}`;
  }

  private edit(w: DemoWiki, actor: Actor, title: string, comment: string, delta: number): RawEdit {
    const ids = this.ids.get(w.id) ?? { rc: this.rng.int(1_000_000, 9_000_000), rev: this.rng.int(10_000_000, 90_000_000) };
    ids.rc += this.rng.int(1, 5);
    ids.rev += this.rng.int(1, 5);
    this.ids.set(w.id, ids);
    const sizeOld = this.rng.int(2_000, 80_000);
    const sizeNew = Math.max(0, sizeOld + delta);
    return {
      source: 'demo',
      wiki: w.id,
      sourceId: `demo:${w.id}:${ids.rc}`,
      rcId: ids.rc,
      revId: ids.rev,
      oldRevId: ids.rev - this.rng.int(1, 5_000),
      type: 'edit',
      namespace: 0,
      title,
      timestamp: new Date(this.t).toISOString(),
      user: actor.user,
      isAnon: isStrictIp(actor.user),
      isTemp: actor.user.startsWith('~'),
      isBot: false,
      isMinor: false,
      isNew: false,
      isPatrolled: false,
      comment,
      parsedComment: null,
      sizeOld,
      sizeNew,
      sizeDelta: sizeNew - sizeOld,
      tags: [],
      logType: null,
      logAction: null,
      logParams: null,
      ip: actor.ip,
      userAgent: null,
      serverUrl: w.serverUrl,
      country: null,
      ores: null,
    };
  }
}
