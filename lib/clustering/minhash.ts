/**
 * Edit-summary similarity: MinHash over character 3-grams, banded for locality-sensitive hashing (LSH).
 * Two summaries whose signatures agree on every row of at least one band land in the same bucket; the
 * engine then estimates their Jaccard similarity from the whole signature. 16 hashes in 8 bands of 2
 * rows: pairs at Jaccard 0.5 share a bucket with probability 1 − (1 − 0.5²)⁸ ≈ 0.90, at 0.2 ≈ 0.28
 * (and are then rejected by the signature estimate).
 */
export const HASHES = 16;
export const BANDS = 8;
const ROWS = HASHES / BANDS;
const SHINGLE = 3;
const MAX_SUMMARY = 160;

/** Odd 32-bit seeds for the HASHES hash functions (fixed: signatures must compare across restarts). */
const SEEDS = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0);

/** fmix32 from MurmurHash3 */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The part of a summary that says something about its author: lower-cased, section markers
 * (`/* History *\/`, added by the software) and surrounding whitespace removed, spaces collapsed. Null
 * when fewer than 3 characters remain (empty and one-word-letter summaries carry no signal).
 */
export function normaliseSummary(comment: string | null): string | null {
  if (!comment) return null;
  const s = comment
    .replace(/\/\*.*?\*\//g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  // the opening of a summary is what look-alike summaries share; the rest only costs hashing time
  return s.length >= SHINGLE ? s.slice(0, MAX_SUMMARY) : null;
}

/** MinHash signature of a normalised summary's character 3-grams. */
export function signature(text: string): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (let i = 0; i + SHINGLE <= text.length; i++) {
    // FNV-1a of the 3-gram
    let h = 0x811c9dc5;
    for (let j = i; j < i + SHINGLE; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
    for (let k = 0; k < HASHES; k++) {
      const v = mix(h ^ (SEEDS[k] as number));
      if (v < (sig[k] as number)) sig[k] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity: the share of equal signature rows. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let eq = 0;
  for (let k = 0; k < HASHES; k++) if (a[k] === b[k]) eq++;
  return eq / HASHES;
}

/**
 * How much a summary can say about its author, from its length: min(1, 3-grams / 15). "lol" or
 * "expand" identify nobody even when two editors share them; "fixed info per source" can.
 */
export function informativeness(text: string): number {
  return Math.min(1, Math.max(0, text.length - SHINGLE + 1) / 15);
}

/** One bucket key per band. */
export function bandKeys(sig: Uint32Array): string[] {
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let key = `s${b}`;
    for (let r = 0; r < ROWS; r++) key += `:${(sig[b * ROWS + r] as number).toString(36)}`;
    keys.push(key);
  }
  return keys;
}
