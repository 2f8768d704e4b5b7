import type { CanonicalIp } from './ip';
import { actorPseudonym, rangePseudonym, type Pseudonym, type PseudonymKey } from './pseudonym';

/**
 * Per-epoch cache of the pseudonyms of recently seen addresses: canonical address → actor pseudonym and
 * the range pseudonyms computed so far. Real feeds repeat editors, and pseudonyms are deterministic within
 * an epoch, so a hit returns exactly what the HMACs would (the vault record is never cached: every event
 * still gets its own record, id and nonce).
 *
 * Bounded, in two generations of at most max/2 addresses each: new addresses enter the young generation;
 * when it is full it becomes the old one and the previous old generation is dropped; a hit in the old
 * generation moves the address back into the young one. O(1) per call (evicting from one Map in insertion
 * order would walk over its deleted slots), at most `max` addresses held. Cleared whenever the epoch
 * key changes (the KeyRing hands out a new key object on rotation or any change of the epoch metadata), so
 * no pseudonym of one epoch is served in another. The keys of the map are canonical addresses, i.e. raw
 * IPs held in this process's memory, inside the boundary like the event being masked; they never leave it.
 */
export interface CachedIp {
  actor: Pseudonym;
  /** by prefix length */
  ranges: Map<number, Pseudonym>;
}

export const DEFAULT_IP_CACHE_SIZE = 20_000;

export class PseudonymCache {
  private key: PseudonymKey | null = null;
  private young = new Map<string, CachedIp>();
  private old = new Map<string, CachedIp>();
  private readonly half: number;

  constructor(
    readonly max = DEFAULT_IP_CACHE_SIZE,
    private readonly chars?: number,
  ) {
    this.half = Math.floor(max / 2);
  }

  /** addresses held now */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The cached pseudonyms of `ip` under `key` (computing the actor pseudonym on a miss). */
  entry(key: PseudonymKey, ip: CanonicalIp): CachedIp {
    if (key !== this.key) {
      this.clear();
      this.key = key;
    }
    let e = this.young.get(ip.text);
    if (e) return e;
    e = this.old.get(ip.text);
    if (e) this.old.delete(ip.text);
    else e = { actor: actorPseudonym(key, ip, this.chars), ranges: new Map() };
    if (this.half <= 0) return e;
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(ip.text, e);
    return e;
  }

  /** The range pseudonym of `ip` at `/prefix` under `key`. */
  range(key: PseudonymKey, ip: CanonicalIp, prefix: number): Pseudonym {
    const e = this.entry(key, ip);
    let r = e.ranges.get(prefix);
    if (!r) {
      r = rangePseudonym(key, ip, prefix, this.chars);
      e.ranges.set(prefix, r);
    }
    return r;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.key = null;
  }
}
