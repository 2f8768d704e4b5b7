/**
 * npm run audit:verify [-- --public-key FILE] [--json]
 * Walks the whole audit chain and checks every signed checkpoint (database table and checkpoint file).
 * Exit 0: intact. Exit 1: broken — the first broken row, then every checkpoint problem, each named by seq.
 * Works while the server runs (through its socket on the embedded default). The key store's public key is
 * used; --public-key adds one (PEM), for a verifier that holds no private key.
 */
import fs from 'node:fs';
import { verifyDatabase } from '../lib/audit/verify-db';
import { option, runTool } from './cli';

const args = process.argv.slice(2);
const pubFile = option(args, 'public-key');

await runTool('audit:verify', async ({ prisma }) => {
  const r = await verifyDatabase(prisma, { publicKeysPem: pubFile ? [fs.readFileSync(pubFile, 'utf8')] : [] });
  if (args.includes('--json')) {
    console.log(JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
    return r.ok ? 0 : 1;
  }
  const cp = r.checkpoints;
  const cps = `${cp.signedValid} signed checkpoint(s)${cp.last !== null ? `, last at seq ${cp.last}` : ''}`;
  if (r.ok) {
    const head = r.head ? `head seq ${r.head.seq} ${r.head.hash.slice(0, 16)}…` : '(empty)';
    const window = r.head ? ` ${r.head.seq - (cp.last ?? 0n)} row(s) after the last checkpoint.` : '';
    console.log(`audit chain intact: ${r.rows} row(s), ${head}; ${cps}.${window}`);
    return 0;
  }
  const first = r.problems[0]!;
  console.log(`audit chain BROKEN at seq ${first.seq ?? '—'}: ${first.message} (${r.rows} row(s) verified before the first broken row)`);
  for (const p of r.problems.slice(1)) console.log(`  also: ${p.message}`);
  console.log(`  (${cps})`);
  return 1;
});
