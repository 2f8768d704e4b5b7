/**
 * Ranking metrics for the score's evaluation (scripts/eval-scoring.ts). Ties are handled exactly, never by
 * the order items happened to arrive in: ROC-AUC uses average ranks (Mann–Whitney U), PR-AUC is average
 * precision with tied scores taken as one step, precision@k is the expectation over random tie-breaking.
 */
export interface Scored {
  score: number;
  label: boolean;
}

/** Groups of equal score, highest first: [positives, total] per group. */
function tieGroups(items: readonly Scored[]): { pos: number; n: number; score: number }[] {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const groups: { pos: number; n: number; score: number }[] = [];
  for (const it of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.score === it.score) {
      last.n++;
      if (it.label) last.pos++;
    } else groups.push({ pos: it.label ? 1 : 0, n: 1, score: it.score });
  }
  return groups;
}

/** ROC-AUC = P(score of a random positive > a random negative), ties counting one half. NaN if one class is empty. */
export function rocAuc(items: readonly Scored[]): number {
  const groups = tieGroups(items).reverse(); // ascending
  let negBelow = 0;
  let sum = 0;
  let pos = 0;
  let neg = 0;
  for (const g of groups) {
    const gNeg = g.n - g.pos;
    sum += g.pos * (negBelow + gNeg / 2);
    negBelow += gNeg;
    pos += g.pos;
    neg += gNeg;
  }
  return pos && neg ? sum / (pos * neg) : NaN;
}

/** Average precision (PR-AUC, step-wise): Σ over tie groups of precision × recall gained. */
export function prAuc(items: readonly Scored[]): number {
  const groups = tieGroups(items);
  const total = groups.reduce((s, g) => s + g.pos, 0);
  if (!total) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (const g of groups) {
    tp += g.pos;
    seen += g.n;
    ap += (g.pos / total) * (tp / seen);
  }
  return ap;
}

/** Expected precision of the top k under random tie-breaking. */
export function precisionAt(items: readonly Scored[], k: number): number {
  const n = Math.min(k, items.length);
  if (!n) return NaN;
  let taken = 0;
  let tp = 0;
  for (const g of tieGroups(items)) {
    const take = Math.min(g.n, n - taken);
    tp += (g.pos * take) / g.n;
    taken += take;
    if (taken >= n) break;
  }
  return tp / n;
}

export function baseRate(items: readonly Scored[]): number {
  return items.length ? items.filter((i) => i.label).length / items.length : NaN;
}

/** Average ranks (1-based), ties sharing the mean of their positions. */
function ranks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    for (let k = i; k <= j; k++) out[idx[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson on average ranks). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const ma = ra.reduce((s, v) => s + v, 0) / n;
  const mb = rb.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i]! - ma) * (rb[i]! - mb);
    va += (ra[i]! - ma) ** 2;
    vb += (rb[i]! - mb) ** 2;
  }
  return va && vb ? cov / Math.sqrt(va * vb) : NaN;
}
