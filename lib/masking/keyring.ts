import { createSecretKey, type KeyObject } from 'node:crypto';
import { pseudonymKey, type PseudonymKey } from './pseudonym';
import { ensureCurrentEpoch, epochKey, epochsVersion, readEpochs, currentEpochMeta } from '../keys/epochs';
import { vaultDayKey, vaultDay } from '../keys/vault-keys';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/**
 * The masking boundary's view of the key store, with keys cached as KeyObjects so that the hot path does
 * a handful of HMACs and one AES-GCM encryption per event and no file reads. Rotation by another process
 * (`npm run keys:rotate`) is noticed within `recheckMs` through the metadata file's modification time.
 */
export class KeyRing {
  private current: { id: string; key: PseudonymKey } | null = null;
  private seenVersion = -1;
  private checkedAt = 0;
  private readonly epochKeys = new Map<string, PseudonymKey | null>();
  private readonly dayKeys = new Map<string, KeyObject>();
  private today: { day: string; key: KeyObject; from: number; until: number } | null = null;

  constructor(
    readonly keysDir: string,
    readonly clock: Clock = systemClock,
    private readonly recheckMs = 1000,
  ) {}

  /** The current epoch id and key (creating the first epoch on first use). */
  currentEpoch(): { id: string; key: PseudonymKey } {
    const wall = Date.now();
    if (this.current && wall - this.checkedAt < this.recheckMs) return this.current;
    this.checkedAt = wall;
    const version = epochsVersion(this.keysDir);
    if (this.current && version === this.seenVersion) return this.current;
    // metadata changed (rotation, destruction): forget every cached epoch key
    this.epochKeys.clear();
    const meta = currentEpochMeta(readEpochs(this.keysDir)) ?? ensureCurrentEpoch(this.keysDir, this.clock());
    this.seenVersion = epochsVersion(this.keysDir);
    const key = this.epochKey(meta.id);
    if (!key) throw new Error('The current pseudonym epoch key is missing from the key store.');
    this.current = { id: meta.id, key };
    return this.current;
  }

  /** Any epoch's key while it is retained; null once destroyed. */
  epochKey(id: string): PseudonymKey | null {
    if (this.epochKeys.has(id)) return this.epochKeys.get(id)!;
    const raw = epochKey(this.keysDir, id);
    const key = raw ? pseudonymKey(raw) : null;
    if (key) this.epochKeys.set(id, key);
    return key;
  }

  /** Today's vault key (by the ring's clock), created on first use. */
  todayVaultKey(): { day: string; key: KeyObject } {
    const now = this.clock().getTime();
    if (this.today && now >= this.today.from && now < this.today.until) return this.today;
    const day = vaultDay(new Date(now));
    const from = Date.parse(`${day}T00:00:00.000Z`);
    this.today = { day, key: this.dayKey(day), from, until: from + 86_400_000 };
    return this.today;
  }

  private dayKey(day: string): KeyObject {
    const cached = this.dayKeys.get(day);
    if (cached) return cached;
    const raw = vaultDayKey(this.keysDir, day, true);
    if (!raw) throw new Error('Could not create the vault day key.');
    const key = createSecretKey(raw);
    this.dayKeys.set(day, key);
    return key;
  }

  /**
   * A day's vault key for reading, always from the key store (reads are rare, and a key destroyed by
   * another process must not survive in this one's cache); null once destroyed. Never creates a key.
   */
  vaultKey(day: string): KeyObject | null {
    const raw = vaultDayKey(this.keysDir, day, false);
    if (!raw) {
      this.dayKeys.delete(day);
      return null;
    }
    return createSecretKey(raw);
  }

  /** Drop every cached key (after rotation or purge in this process). */
  reload(): void {
    this.current = null;
    this.seenVersion = -1;
    this.epochKeys.clear();
    this.dayKeys.clear();
    this.today = null;
  }
}
