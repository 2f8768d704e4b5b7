/**
 * npm run keys:rotate [-- --force]
 *
 * Starts a new pseudonym key epoch when the current one is older than MASKPATROL_KEY_EPOCH_DAYS (or with
 * --force), destroys epoch keys retired longer than MASKPATROL_KEY_RETENTION_DAYS, then applies the vault
 * retention (MASKPATROL_VAULT_RETENTION_DAYS: destroys expired day keys). Each change is one audited
 * service verb (keys.rotate, vault.shred) by the system actor. Safe to run daily from cron; prints
 * epoch ids and days only, never key material.
 */
import { rotateKeys } from '../lib/services/keys-rotate';
import { shredVault } from '../lib/services/vault-shred';
import { flag, runTool } from './cli';

const args = process.argv.slice(2);

await runTool('keys:rotate', async ({ prisma }) => {
  const ctx = { actor: { kind: 'system' as const, name: 'keys:rotate' }, db: prisma, request: { via: 'cli' as const } };
  const r = await rotateKeys(ctx, { force: flag(args, 'force') });
  if (r.created) console.log(`new pseudonym epoch ${r.created.id}${r.retired ? ` (retired ${r.retired.id})` : ''}`);
  else console.log('pseudonym epoch not due for rotation');
  for (const e of r.destroyed) console.log(`destroyed the key of retired epoch ${e.id}`);
  const v = await shredVault(ctx);
  if (v.days.length) console.log(`vault: shredded ${v.days.length} day(s) before ${v.cutoff} (${v.records} record(s))`);
  else console.log(`vault: nothing older than ${v.cutoff}`);
  return 0;
});
