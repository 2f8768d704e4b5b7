import { afterAll, describe, expect, it } from 'vitest';
import { createClusterEngine } from '@/lib/clustering/engine';
import type { EngineStats } from '@/lib/clustering/types';
import type { MaskedEdit } from '@/lib/masking/types';
import { keysDir, masker, maskedDemo } from '../../helpers/clustering';

const keys = keysDir();
afterAll(keys.cleanup);

describe('bounded state', () => {
  it('stays flat over a long run: nothing grows with history', () => {
    const templates = maskedDemo(masker(keys.dir), 3000, 5);
    const t0 = Date.parse(templates[0]?.edit.timestamp as string);
    const span = Date.parse(templates[templates.length - 1]?.edit.timestamp as string) - t0 + 1000;
    const engine = createClusterEngine();
    const at: EngineStats[] = [];
    for (let i = 0; i < 30_000; i++) {
      const tpl = templates[i % templates.length] as (typeof templates)[number];
      const cycle = Math.floor(i / templates.length);
      const e = tpl.edit;
      const sfx = `.${cycle}`;
      // the same traffic shifted by whole spans, with new actors every cycle (as a live feed brings)
      const edit: MaskedEdit = {
        ...e,
        timestamp: new Date(Date.parse(e.timestamp) + cycle * span).toISOString(),
        actor: e.actor.kind === 'user' ? e.actor : { ...e.actor, name: e.actor.name + sfx, key: e.actor.key && e.actor.key + sfx },
        ip: e.ip && { ...e.ip, key: e.ip.key + sfx },
      };
      engine.observe({ id: String(i), edit, score: tpl.score });
      if ((i + 1) % 10_000 === 0) at.push(engine.stats());
    }
    const [first, ...later] = at as [EngineStats, ...EngineStats[]];
    expect(first.observed).toBe(10_000);
    for (const s of later) {
      for (const k of ['members', 'entries', 'pairs', 'activeClusters', 'retainedClusters'] as const) {
        expect(s[k], k).toBeLessThanOrEqual(first[k] * 1.5 + 50);
      }
      // the change log is compacted once it exceeds twice the clusters held plus 1,024
      expect(s.changeLog).toBeLessThanOrEqual(2 * (s.activeClusters + s.retainedClusters) + 1025);
    }
    expect(at[2]?.observed).toBe(30_000);
  }, 60_000); // a generous limit for a shared 2-core machine; nothing here is timed
});
