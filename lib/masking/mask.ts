import { randomUUID, type KeyObject } from 'node:crypto';
import type { RawEdit } from '../feed/types';
import { loadConfig } from '../config';
import { ValidationError } from '../errors';
import { canonicalIp, MAX_PREFIX, tryCanonicalIp, type CanonicalIp, type CidrLimits, type IpFamily } from './ip';
import type { KeyRing } from './keyring';
import { actorPseudonym, DISPLAY_CHARS, rangePseudonym, userAgentPseudonym, type Pseudonym } from './pseudonym';
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
}

export interface MaskContext {
  /** range lengths to compute on top of the stored ones (e.g. active range blocks) */
  extraLengths?: ExtraLengths;
}

export interface MaskResult {
  masked: MaskedEdit;
  vault: VaultWrite[];
}

export function cidrLimitsFromConfig(): CidrLimits {
  const c = loadConfig();
  return { v4: c.MASKPATROL_BLOCK_CIDR_LIMIT_V4, v6: c.MASKPATROL_BLOCK_CIDR_LIMIT_V6 };
}

interface Seen {
  p: Pseudonym;
  vaultId: string;
}

export class Masker {
  private readonly limits: CidrLimits;
  private readonly chars: number;

  constructor(private readonly opts: MaskerOptions) {
    this.limits = opts.limits ?? cidrLimitsFromConfig();
    this.chars = opts.displayChars ?? DISPLAY_CHARS;
  }

  /** Range lengths for one family: stored ∪ extra, each checked against the CIDR limits. */
  lengths(family: IpFamily, extra?: ReadonlySet<number>): number[] {
    const stored = family === 4 ? STORED_LENGTHS.v4 : STORED_LENGTHS.v6;
    if (!extra || extra.size === 0) return stored as number[];
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
    const vault: VaultWrite[] = [];
    const seen = new Map<string, Seen>();
    const chars = this.chars;

    const seal = (ip: CanonicalIp, userAgent?: string): string => {
      const id = randomUUID();
      const { nonce, ciphertext } = encryptRecord(vaultKey.key, id, vaultKey.day, userAgent ? { ip: ip.text, userAgent } : { ip: ip.text });
      vault.push({ id, day: vaultKey.day, nonce, ciphertext });
      return id;
    };
    const pseudonymOf = (ip: CanonicalIp, userAgent?: string): Seen => {
      const k = `${ip.family}:${ip.text}`;
      let s = seen.get(k);
      if (!s) {
        s = { p: actorPseudonym(epoch.key, ip, chars), vaultId: seal(ip, userAgent) };
        seen.set(k, s);
      }
      return s;
    };

    const userIp = tryCanonicalIp(raw.user);
    const kind: ActorKind = userIp ? 'ip' : raw.isTemp ? 'temp' : 'user';
    if (!userIp && raw.isAnon) throw new ValidationError('user: an anonymous edit must name a valid IP address', { user: 'not a valid IP address' });
    const networkIp = raw.ip !== null && raw.ip !== undefined && raw.ip !== '' ? canonicalIp(raw.ip, 'ip') : userIp;
    if (findIps(raw.sourceId).length) throw new ValidationError('sourceId: must not contain an IP address', { sourceId: 'contains an IP address' });

    const ua = raw.userAgent ? raw.userAgent : null;
    let ip: IpPseudonyms | null = null;
    if (networkIp) {
      const s = pseudonymOf(networkIp, ua ?? undefined);
      const extra = networkIp.family === 4 ? ctx.extraLengths?.v4 : ctx.extraLengths?.v6;
      ip = {
        family: networkIp.family,
        key: s.p.key,
        display: s.p.display,
        ranges: this.ranges(epoch.key, networkIp, this.lengths(networkIp.family, extra)),
        vaultId: s.vaultId,
      };
    }
    const actorS = userIp ? pseudonymOf(userIp) : null;

    const mentions = new Map<string, IpMention>();
    const replace = (found: CanonicalIp): string => {
      const s = pseudonymOf(found);
      if (!mentions.has(s.p.key)) mentions.set(s.p.key, { key: s.p.key, display: s.p.display, vaultId: s.vaultId });
      return s.p.display;
    };

    const {
      user: _user,
      ip: _ip,
      userAgent: _ua,
      title,
      comment,
      parsedComment,
      logParams,
      tags,
      serverUrl,
      ...rest
    } = raw;
    const masked: MaskedEdit = {
      ...rest,
      epoch: epoch.id,
      actor: actorS
        ? { kind, name: actorS.p.display, key: actorS.p.key, vaultId: actorS.vaultId }
        : { kind, name: raw.user, key: null, vaultId: null },
      ip,
      userAgent: ua ? this.uaPseudonym(epoch.key, ua) : null,
      title: maskText(title, replace),
      comment: comment === null ? null : maskText(comment, replace),
      parsedComment: parsedComment === null ? null : maskText(parsedComment, replace),
      logParams: logParams === undefined ? null : maskJson(logParams, replace),
      tags: tags.map((t) => maskText(t, replace)),
      serverUrl: serverUrl === null ? null : maskText(serverUrl, replace),
      mentions: [...mentions.values()],
    };
    return { masked, vault };
  }

  private ranges(key: KeyObject, ip: CanonicalIp, lengths: number[]): RangePseudonym[] {
    return lengths.map((prefix) => {
      const p = rangePseudonym(key, ip, prefix, this.chars);
      return { family: ip.family, prefix, key: p.key, display: p.display };
    });
  }

  private uaPseudonym(key: KeyObject, ua: string): { key: string; display: string } {
    return userAgentPseudonym(key, ua, this.chars);
  }
}
