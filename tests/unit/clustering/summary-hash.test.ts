import { describe, expect, it } from 'vitest';
import { summaryHash } from '@/lib/clustering/features';
import { bandKeys, signature } from '@/lib/clustering/minhash';

describe('summary signature cache', () => {
  it('gives exactly the signature and band keys of the summary, computed once while it stays recent', () => {
    const s = 'fixed the infobox per the cited source';
    const a = summaryHash(s);
    expect([...a.sig]).toEqual([...signature(s)]);
    expect(a.bands).toEqual(bandKeys(signature(s)));
    expect(summaryHash(s)).toBe(a);
    expect(summaryHash('another summary entirely').sig).not.toEqual(a.sig);
  });

  it('stays bounded: after thousands of other summaries the first is hashed again (same values, new object)', () => {
    const first = summaryHash('the very first summary of this test');
    for (let i = 0; i < 5000; i++) summaryHash(`filler summary number ${i}`);
    const again = summaryHash('the very first summary of this test');
    expect(again).not.toBe(first);
    expect([...again.sig]).toEqual([...first.sig]);
    // a summary used recently survives the churn (least recently used goes first)
    const kept = summaryHash('kept warm');
    for (let i = 0; i < 3000; i++) {
      summaryHash(`churn ${i}`);
      if (i % 1000 === 0) summaryHash('kept warm');
    }
    expect(summaryHash('kept warm')).toBe(kept);
  });
});
