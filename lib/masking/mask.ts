import { randomUUID, type KeyObject } from 'node:crypto';
import type { RawEdit } from '../feed/types';
import { loadConfig } from '../config';
import { ValidationError } from '../errors';
import { canonicalIp, MAX_PREFIX, tryCanonicalIp, type CanonicalIp, type CidrLimits, type IpFamily } from './ip';
import type { KeyRing } from './keyring';
import { DEFAULT_IP_CACHE_SIZE, PseudonymCache } from './cache';
import { DISPLAY_CHARS, userAgentPseudonym, type Pseudonym, type PseudonymKey } from './pseudonym';
import { findIps, maskJson, maskText } from './text';
import {
  STORED_LENGTHS,
  type ActorKind,
  type ExtraLengths,
  type IpMention,
  type IpPseudonyms,
  type MaskedEdit,
  type RangePseudonym,
  type VaultWrite,
} from './types';
import { encryptRecord } from './vault-crypto';
import type { IpContextLookup } from '../context/types';

/**
 * The masking boundary: RawEdit in, MaskedEdit (no raw IP anywhere) and encrypted vault rows out.
 * Per event: one HMAC per distinct address, one per range length, one for the user agent, and one
 * AES-GCM encryption per distinct address; keys come pre-loaded from the KeyRing.
 */
export interface MaskerOptions {
  keys: KeyRing;
  /** widest prefix an admin may act on (extra lengths outside [limit, /32 | /64] are refused) */
  limits?: CidrLimits;
  /** display characters (tests shorten it to force display collisions) */
  displayChars?: number;
  /** addresses whose pseudonyms are cached per epoch (default 20,000; below 2 turns the cache off) */
  ipCacheSize?: number;
  /**
   * IP context (step 9): looked up from the raw network address inside the boundary; only the derived ASN,
   * organisation, country, network type and Tor/VPN flag leave it, as `masked.net`. Absent/null: no context.
   */
  context?: IpContextLookup | null;
}

export interface MaskContext {
  /** range lengths to compute on top of the stored ones (e.g. active range blocks) */
  extraLengths?: ExtraLengths;
  /**
   * Lengths to compute for THIS address only, asked with its stored range pseudonyms (e.g. the block matcher: a
   * /20 block can only hold an address whose /16 is that block's /16, so the /20 is computed only then).
   */
  extraFor?: (family: IpFamily, stored: readonly RangePseudonym[]) => ReadonlySet<number> | undefined;
}

export interface MaskResult {
  masked: MaskedEdit;
  vault: VaultWrite[];
}

export function cidrLimitsFromConfig(): CidrLimits {
  const c = loadConfig();
  return { v4: c.MASKPATROL_BLOCK_CIDR_LIMIT_V4, v6: c.MASKPATROL_BLOCK_CIDR_LIMIT_V6 };
}

const UA_CACHE_SIZE = 10_000;

interface Seen {
  p: Pseudonym;
  vaultId: string;
}

/** One event's work: each distinct address gets one pseudonym and one vault record. */
class EventScope {
  readonly vault: VaultWrite[] = [];
  readonly mentions = new Map<string, IpMention>();
  private readonly seen = new Map<string, Seen>();
  /** the text replacer: an address found in text becomes its display pseudonym and a mention */
  readonly replace: (ip: CanonicalIp) => string;

  constructor(
    private readonly key: PseudonymKey,
    private readonly vaultKey: { day: string; key: KeyObject },
    private readonly cache: PseudonymCache,
  ) {
    this.replace = this.mention.bind(this);
  }

  pseudonymOf(ip: CanonicalIp, userAgent?: string): Seen {
    // canonical texts of the two families never coincide (IPv6 ones hold a colon)
    let s = this.seen.get(ip.text);
    if (!s) {
      s = { p: this.cache.entry(this.key, ip).actor, vaultId: this.seal(ip, userAgent) };
      this.seen.set(ip.text, s);
    }
    return s;
  }

  private seal(ip: CanonicalIp, userAgent?: string): string {
    const id = randomUUID();
    const { day, key } = this.vaultKey;
    const { nonce, ciphertext } = encryptRecord(key, id, day, userAgent ? { ip: ip.text, userAgent } : { ip: ip.text });
    this.vault.push({ id, day, nonce, ciphertext });
    return id;
  }

  private mention(found: CanonicalIp): string {
    const s = this.pseudonymOf(found);
    if (!this.mentions.has(s.p.key)) this.mentions.set(s.p.key, { key: s.p.key, display: s.p.display, vaultId: s.vaultId });
    return s.p.display;
  }
}

export class Masker {
  private readonly limits: CidrLimits;
  private readonly chars: number;
  private uaCache: { epoch: string; map: Map<string, Pseudonym> } = { epoch: '', map: new Map() };
  private readonly ipCache: PseudonymCache;

  constructor(private readonly opts: MaskerOptions) {
    this.limits = opts.limits ?? cidrLimitsFromConfig();
    this.chars = opts.displayChars ?? DISPLAY_CHARS;
    this.ipCache = new PseudonymCache(opts.ipCacheSize ?? DEFAULT_IP_CACHE_SIZE, this.chars);
  }

  /** the last extra set seen per family and its lengths (the block matcher hands the same, never mutated, set to every event) */
  private readonly lengthsMemo: Partial<Record<IpFamily, { extra: ReadonlySet<number>; lengths: number[] }>> = {};

  /** Range lengths for one family: stored ∪ extra, each checked against the CIDR limits. */
  lengths(family: IpFamily, extra?: ReadonlySet<number>): number[] {
    const stored = family === 4 ? STORED_LENGTHS.v4 : STORED_LENGTHS.v6;
    if (!extra || extra.size === 0) return stored as number[];
    const memo = this.lengthsMemo[family];
    if (memo?.extra === extra) return memo.lengths;
    const lengths = this.computeLengths(family, stored, extra);
    this.lengthsMemo[family] = { extra, lengths };
    return lengths;
  }

  private computeLengths(family: IpFamily, stored: readonly number[], extra: ReadonlySet<number>): number[] {
    const min = family === 4 ? this.limits.v4 : this.limits.v6;
    const all = new Set(stored);
    for (const n of extra) {
      if (!Number.isInteger(n) || n < min || n > MAX_PREFIX[family])
        throw new ValidationError(`extraLengths: IPv${family} prefix lengths must be /${min}–/${MAX_PREFIX[family]}`, {
          extraLengths: 'out of range',
        });
      all.add(n);
    }
    return [...all].sort((a, b) => a - b);
  }

  maskEdit(raw: RawEdit, ctx: MaskContext = {}): MaskResult {
    const epoch = this.opts.keys.currentEpoch();
    const vaultKey = this.opts.keys.todayVaultKey();
    const scope = new EventScope(epoch.key, vaultKey, this.ipCache);

    const userIp = tryCanonicalIp(raw.user);
    const kind: ActorKind = userIp ? 'ip' : raw.isTemp ? 'temp' : 'user';
    if (!userIp && raw.isAnon) throw new ValidationError('user: an anonymous edit must name a valid IP address', { user: 'not a valid IP address' });
    const networkIp = raw.ip !== null && raw.ip !== undefined && raw.ip !== '' ? canonicalIp(raw.ip, 'ip') : userIp;
    if (findIps(raw.sourceId).length) throw new ValidationError('sourceId: must not contain an IP address', { sourceId: 'contains an IP address' });

    const ua = raw.userAgent ? raw.userAgent : null;
    let ip: IpPseudonyms | null = null;
    if (networkIp) {
      const s = scope.pseudonymOf(networkIp, ua ?? undefined);
      const extra = networkIp.family === 4 ? ctx.extraLengths?.v4 : ctx.extraLengths?.v6;
      ip = {
        family: networkIp.family,
        key: s.p.key,
        display: s.p.display,
        ranges: this.rangesFor(epoch.key, networkIp, extra, ctx.extraFor),
        vaultId: s.vaultId,
      };
    }
    const actorS = userIp ? scope.pseudonymOf(userIp) : null;

    const replace = scope.replace;

    // fields are listed, not spread: a field added to RawEdit does not pass the boundary unexamined
    const masked: MaskedEdit = {
      source: raw.source,
      wiki: raw.wiki,
      sourceId: raw.sourceId,
      rcId: raw.rcId,
      revId: raw.revId,
      oldRevId: raw.oldRevId,
      type: raw.type,
      namespace: raw.namespace,
      timestamp: raw.timestamp,
      isAnon: raw.isAnon,
      isTemp: raw.isTemp,
      isBot: raw.isBot,
      isMinor: raw.isMinor,
      isNew: raw.isNew,
      isPatrolled: raw.isPatrolled,
      sizeOld: raw.sizeOld,
      sizeNew: raw.sizeNew,
      sizeDelta: raw.sizeDelta,
      logType: raw.logType,
      logAction: raw.logAction,
      country: raw.country,
      ores: raw.ores,
      epoch: epoch.id,
      actor: actorS
        ? { kind, name: actorS.p.display, key: actorS.p.key, vaultId: actorS.vaultId }
        : { kind, name: raw.user, key: null, vaultId: null },
      ip,
      net: networkIp && this.opts.context ? this.opts.context.lookup(networkIp.family, networkIp.bytes) : null,
      userAgent: ua ? { ...this.uaPseudonym(epoch.id, epoch.key, ua) } : null,
      title: maskText(raw.title, replace),
      comment: raw.comment === null ? null : maskText(raw.comment, replace),
      parsedComment: raw.parsedComment === null ? null : maskText(raw.parsedComment, replace),
      logParams: raw.logParams === undefined ? null : maskJson(raw.logParams, replace),
      tags: raw.tags.map((t) => maskText(t, replace)),
      serverUrl: raw.serverUrl === null ? null : maskText(raw.serverUrl, replace),
      mentions: [...scope.mentions.values()],
    };
    return { masked, vault: scope.vault };
  }

  private rangesFor(key: PseudonymKey, ip: CanonicalIp, extra: ReadonlySet<number> | undefined, extraFor: MaskContext['extraFor']): RangePseudonym[] {
    const ranges = this.ranges(key, ip, this.lengths(ip.family, extra));
    const more = extraFor?.(ip.family, ranges);
    if (!more?.size) return ranges;
    const have = new Set(ranges.map((r) => r.prefix));
    const added = this.ranges(key, ip, this.lengths(ip.family, more).filter((p) => !have.has(p)));
    return added.length ? [...ranges, ...added].sort((a, b) => a.prefix - b.prefix) : ranges;
  }

  private ranges(key: PseudonymKey, ip: CanonicalIp, lengths: number[]): RangePseudonym[] {
    return lengths.map((prefix) => {
      const p = this.ipCache.range(key, ip, prefix);
      return { family: ip.family, prefix, key: p.key, display: p.display };
    });
  }

  /** User agents repeat a lot: their pseudonyms are cached per epoch (bounded). */
  private uaPseudonym(epoch: string, key: PseudonymKey, ua: string): { key: string; display: string } {
    if (this.uaCache.epoch !== epoch || this.uaCache.map.size >= UA_CACHE_SIZE) this.uaCache = { epoch, map: new Map() };
    let p = this.uaCache.map.get(ua);
    if (!p) {
      p = userAgentPseudonym(key, ua, this.chars);
      this.uaCache.map.set(ua, p);
    }
    return p;
  }
}
