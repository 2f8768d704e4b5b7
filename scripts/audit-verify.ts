/**
 * npm run audit:verify — walks the whole audit chain. Exit 0: intact. Exit 1: broken, naming the first
 * broken row. Works while the server runs (through its socket on the embedded default).
 */
import { verifyChain } from '../lib/audit/chain';
import { runTool } from './cli';

await runTool('audit:verify', async ({ prisma }) => {
  const r = await verifyChain(prisma);
  if (r.ok) {
    console.log(`audit chain intact: ${r.rows} row(s), head ${r.rows ? `seq ${r.lastSeq} ${r.lastHash.slice(0, 16)}…` : '(empty)'}`);
    return 0;
  }
  console.log(`audit chain BROKEN at seq ${r.brokenAt}: ${r.problem} (${r.rows} row(s) before it verified)`);
  return 1;
});
