import type { PrismaClient } from '../db/generated/client';
import { log } from '../log';
import type { KeyRing } from '../masking/keyring';
import type { ExtraLengths, MaskedEdit } from '../masking/types';
import { STORED_LENGTHS } from '../masking/types';
import type { MaskContext } from '../masking/mask';
import { rangePseudonym } from '../masking/pseudonym';
import { anchorPseudonym, openAnchor, type Anchor } from './anchor';

/**
 * Enforcement on the ingest path. The active blocks are held in memory, indexed by their pseudonym keys in the
 * CURRENT epoch (recomputed from each block's anchor, so they survive key rotation) and by account name; the
 * per-event check is a handful of Map lookups: the actor key, each range key, the account name. A block at a
 * length that is not stored for every event adds that length to what the masker computes while it is active.
 * Reloaded after every block change (bus event / NOTIFY), every minute, and re-keyed when the epoch changes.
 */
export interface ActiveBlock {
  id: string;
  wiki: string;
  targetType: string;
  targetKey: string;
  family: number | null;
  prefix: number | null;
  anchorCt: Uint8Array | null;
  expiresAt: Date | null;
  anonOnly: boolean;
  partialPages: string[];
  partialNamespaces: number[];
}

interface Entry {
  id: string;
  wiki: string;
  expires: number;
  anonOnly: boolean;
  pages: Set<string> | null;
  namespaces: Set<number> | null;
}

export const ACTIVE_BLOCK_SELECT = {
  id: true,
  wiki: true,
  targetType: true,
  targetKey: true,
  family: true,
  prefix: true,
  anchorCt: true,
  expiresAt: true,
  anonOnly: true,
  partialPages: true,
  partialNamespaces: true,
} as const;

function add(map: Map<string, Entry[]>, key: string, e: Entry) {
  const list = map.get(key);
  if (list) list.push(e);
  else map.set(key, [e]);
}

export class BlockMatcher {
  private blocks: ActiveBlock[] = [];
  private epoch: string | null = null;
  private byKey = new Map<string, Entry[]>();
  private byName = new Map<string, Entry[]>();
  /** lengths computed for every event: non-stored lengths with no wider stored length (IPv6 /19–/31) */
  private extra: ExtraLengths = {};
  /** non-stored lengths by the key of their wider stored range: computed only for addresses in that range */
  private extraByWider = new Map<string, Set<number>>();
  /** opened anchors by block id (pruned to the active blocks at each index; a key destroyed later is not re-read) */
  private anchors = new Map<string, Anchor | null>();
  private loading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly prisma: () => PrismaClient,
    private readonly keys: KeyRing,
    private readonly keysDir: string,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.blocks.length;
  }

  /** Re-read the active blocks; concurrent calls coalesce (a call during a load triggers one more load). */
  reload(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          const now = new Date(this.clock());
          const rows = await this.prisma().block.findMany({
            where: { endedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
            select: ACTIVE_BLOCK_SELECT,
          });
          this.setBlocks(rows);
        } while (this.again);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Index a set of active blocks under the current epoch (exported for the benchmark and tests). */
  setBlocks(rows: ActiveBlock[]): void {
    this.blocks = rows;
    this.index(this.keys.currentEpoch().id);
  }

  private index(epochId: string): void {
    const key = this.keys.epochKey(epochId);
    const byKey = new Map<string, Entry[]>();
    const byName = new Map<string, Entry[]>();
    const v4 = new Set<number>();
    const v6 = new Set<number>();
    const extraByWider = new Map<string, Set<number>>();
    let unopenable = 0;
    const anchors = new Map<string, Anchor | null>();
    for (const b of this.blocks) {
      const e: Entry = {
        id: b.id,
        wiki: b.wiki,
        expires: b.expiresAt ? b.expiresAt.getTime() : Infinity,
        anonOnly: b.anonOnly,
        pages: b.partialPages.length ? new Set(b.partialPages) : null,
        namespaces: b.partialNamespaces.length ? new Set(b.partialNamespaces) : null,
      };
      if (b.targetType === 'account') {
        add(byName, b.targetKey, e);
        continue;
      }
      let anchor = this.anchors.get(b.id);
      if (anchor === undefined) anchor = b.anchorCt ? openAnchor(this.keysDir, b.id, b.anchorCt) : null;
      anchors.set(b.id, anchor);
      if (!key) continue;
      if (!anchor) {
        unopenable++;
        continue;
      }
      add(byKey, anchorPseudonym(key, anchor).key, e);
      if (b.targetType === 'range') {
        const stored = anchor.family === 4 ? STORED_LENGTHS.v4 : STORED_LENGTHS.v6;
        if (!stored.includes(anchor.prefix)) {
          const wider = [...stored].reverse().find((p) => p < anchor.prefix);
          if (wider === undefined) (anchor.family === 4 ? v4 : v6).add(anchor.prefix);
          else {
            const w = rangePseudonym(key, { family: anchor.family, bytes: anchor.bytes, text: '' }, wider).key;
            const set = extraByWider.get(w) ?? new Set<number>();
            set.add(anchor.prefix);
            extraByWider.set(w, set);
          }
        }
      }
    }
    if (unopenable) log().warn({ blocks: unopenable }, 'some active blocks have no anchor that opens; they do not match');
    this.anchors = anchors;
    this.byKey = byKey;
    this.byName = byName;
    this.extra = { v4, v6 };
    this.extraByWider = extraByWider;
    this.context = { extraLengths: this.extra, extraFor: this.extraFor };
    this.epoch = epochId;
  }

  /** Extra range lengths the masker must compute for active range blocks (empty sets: none). */
  maskContext(): MaskContext {
    return this.context;
  }

  /** lengths to compute for one address: those of the blocks inside one of its stored ranges */
  private readonly extraFor: NonNullable<MaskContext['extraFor']> = (_family, stored) => {
    if (!this.extraByWider.size) return undefined;
    for (const r of stored) {
      const s = this.extraByWider.get(r.key);
      if (s) return s;
    }
    return undefined;
  };

  /** one context object per index (the masker memoises its lengths per extra set) */
  private context: MaskContext = { extraFor: this.extraFor };


  /**
   * The scorer's view (lib/scoring IsBlocked): is the actor (`ip:<key>` / `u:<name>`) or one of the ranges under
   * an active block on this wiki? Ignores partial and anon-only narrowing (a score hint, not enforcement).
   */
  blockedFor(actorKey: string, rangeKeys: readonly string[], wiki: string, now = this.clock()): { actor: boolean; range: boolean } {
    if (!this.blocks.length) return { actor: false, range: false };
    const live = (list: Entry[] | undefined) => !!list?.some((b) => b.expires > now && (b.wiki === '*' || b.wiki === wiki));
    const actor = actorKey.startsWith('ip:') ? live(this.byKey.get(actorKey.slice(3))) : live(this.byName.get(actorKey.slice(2)));
    return { actor, range: rangeKeys.some((k) => live(this.byKey.get(k))) };
  }

  /** The id of an active block this edit evades, or null. */
  match(e: MaskedEdit, now = this.clock()): string | null {
    if (!this.blocks.length) return null;
    if (e.epoch !== this.epoch) this.index(e.epoch);
    const hit = (list: Entry[] | undefined, anon: boolean): string | null => {
      if (!list) return null;
      for (const b of list) {
        if (b.expires <= now) continue;
        if (b.wiki !== '*' && b.wiki !== e.wiki) continue;
        if (b.anonOnly && !anon) continue;
        if ((b.pages || b.namespaces) && !(b.pages?.has(e.title) || b.namespaces?.has(e.namespace))) continue;
        return b.id;
      }
      return null;
    };
    const anon = e.actor.kind === 'ip' || e.actor.kind === 'temp';
    if (e.actor.kind !== 'ip') {
      const byName = hit(this.byName.get(e.actor.name), anon);
      if (byName) return byName;
    }
    if (e.ip) {
      const byActor = hit(this.byKey.get(e.ip.key), anon);
      if (byActor) return byActor;
      for (const r of e.ip.ranges) {
        const byRange = hit(this.byKey.get(r.key), anon);
        if (byRange) return byRange;
      }
    }
    return null;
  }
}
