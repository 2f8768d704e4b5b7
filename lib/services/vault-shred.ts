import { GLOBAL } from '../auth/permissions';
import { loadConfig } from '../config';
import { destroyVaultDayKey, retentionCutoffDay, vaultKeyDays } from '../keys/vault-keys';
import { dateToDay, dayToDate } from '../masking/vault';
import { db } from '../db/client';
import { log } from '../log';
import { executeVerb, type ServiceContext } from './verb';

export interface ShredVaultInput {
  keysDir?: string;
  now?: Date;
  retentionDays?: number;
}

export interface ShredVaultResult {
  /** the first day kept */
  cutoff: string;
  /** days whose keys were destroyed now */
  days: string[];
  /** expired rows deleted (already unreadable once their key is gone) */
  records: number;
  audited: boolean;
}

/**
 * vault.shred: crypto-shredding under the retention policy. Destroys the data key of every day before the
 * cutoff (now − retention) — which makes that day's rows unreadable in the database and in every backup —
 * deletes those rows, and writes the audit row, all in one verb. Keys are destroyed inside the
 * transaction before the audit append: if the append fails, the shred stands (erring towards privacy),
 * the rows stay and the next run, finding rows without keys, shreds and audits them again.
 */
export async function shredVault(ctx: ServiceContext, input: ShredVaultInput = {}): Promise<ShredVaultResult> {
  const c = loadConfig();
  const keysDir = input.keysDir ?? c.keysDir;
  const now = input.now ?? new Date();
  const cutoff = retentionCutoffDay(now, input.retentionDays ?? c.MASKPATROL_VAULT_RETENTION_DAYS);
  const prisma = ctx.db ?? db();

  const keyDays = vaultKeyDays(keysDir).filter((d) => d < cutoff);
  const rowDays = await prisma.vaultRecord.groupBy({ by: ['day'], where: { day: { lt: dayToDate(cutoff) } } });
  const days = [...new Set([...keyDays, ...rowDays.map((r) => dateToDay(r.day))])].sort();
  if (!days.length) return { cutoff, days: [], records: 0, audited: false };

  return executeVerb(ctx, {
    action: 'vault.shred',
    permission: 'keys.manage',
    wiki: GLOBAL,
    async run(tx) {
      const del = await tx.vaultRecord.deleteMany({ where: { day: { lt: dayToDate(cutoff) } } });
      for (const d of days) destroyVaultDayKey(keysDir, d);
      return {
        result: { cutoff, days, records: del.count, audited: true },
        audit: {
          targetType: 'vault',
          targetId: `before:${cutoff}`,
          wiki: GLOBAL,
          reason: 'retention',
          after: { cutoff, days, records: del.count },
        },
      };
    },
    afterCommit: (r) => log().info({ cutoff: r.cutoff, days: r.days, records: r.records }, 'vault day keys destroyed (retention)'),
  });
}
