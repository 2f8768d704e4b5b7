import { describe, expect, it } from 'vitest';
import { baseRate, prAuc, precisionAt, rocAuc, spearman } from '@/lib/scoring/metrics';

const items = (pairs: [number, boolean][]) => pairs.map(([score, label]) => ({ score, label }));

describe('evaluation metrics', () => {
  it('ROC-AUC: perfect, inverted, ties count half', () => {
    expect(rocAuc(items([[0.9, true], [0.8, true], [0.1, false]]))).toBe(1);
    expect(rocAuc(items([[0.1, true], [0.9, false]]))).toBe(0);
    expect(rocAuc(items([[0.5, true], [0.5, false]]))).toBe(0.5);
    expect(rocAuc(items([[0.9, true], [0.5, false], [0.4, true], [0.1, false]]))).toBe(0.75);
    expect(rocAuc(items([[1, true]]))).toBeNaN();
  });

  it('PR-AUC (average precision) and precision@k with ties by expectation', () => {
    expect(prAuc(items([[0.9, true], [0.5, false], [0.4, true], [0.1, false]]))).toBeCloseTo((1 + 2 / 3) / 2);
    expect(prAuc(items([[0.5, true], [0.5, false]]))).toBe(0.5);
    const t = items([[0.9, true], [0.5, true], [0.5, false], [0.5, false], [0.1, true]]);
    expect(precisionAt(t, 1)).toBe(1);
    expect(precisionAt(t, 2)).toBeCloseTo((1 + 1 / 3) / 2);
    expect(baseRate(t)).toBe(0.6);
  });

  it('Spearman: monotone → 1, reversed → −1, average ranks for ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 400])).toBeCloseTo(1);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 1, 2], [1, 2, 3])).toBeCloseTo(0.866, 3);
  });
});
