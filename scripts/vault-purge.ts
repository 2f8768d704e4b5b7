/**
 * npm run vault:purge — applies the vault retention only (MASKPATROL_VAULT_RETENTION_DAYS): destroys the
 * data keys of expired days (crypto-shredding) and deletes their rows; audited as vault.shred.
 */
import { shredVault } from '../lib/services/vault-shred';
import { runTool } from './cli';

await runTool('vault:purge', async ({ prisma }) => {
  const v = await shredVault({ actor: { kind: 'system', name: 'vault:purge' }, db: prisma, request: { via: 'cli' } });
  if (v.days.length) console.log(`vault: shredded ${v.days.length} day(s) before ${v.cutoff} (${v.records} record(s))`);
  else console.log(`vault: nothing older than ${v.cutoff}`);
  return 0;
});
