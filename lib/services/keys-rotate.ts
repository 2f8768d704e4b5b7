import { GLOBAL } from '../auth/permissions';
import { loadConfig } from '../config';
import { currentEpochMeta, readEpochs, rotateEpochs, rotationDue, type RotationResult } from '../keys/epochs';
import { log } from '../log';
import { executeVerb, type ServiceContext } from './verb';

const DAY_MS = 86_400_000;

export interface RotateKeysInput {
  keysDir?: string;
  /** rotate even when the current epoch is not due */
  force?: boolean;
  now?: Date;
  epochDays?: number;
  retentionDays?: number;
}

export type RotateKeysResult = RotationResult & { audited: boolean };

/**
 * keys.rotate: when the current pseudonym epoch is due (or forced), retire it and start the next; destroy
 * the keys of epochs retired longer than the key retention. Audited through the service layer (the row
 * names epoch ids only — never key material). Nothing due: nothing changes and no row is written.
 *
 * The key store change happens inside the verb's transaction, before the audit append: if that append
 * fails the tool fails loudly, the rotation stands (a key store cannot roll back) and the next run audits
 * the state it finds.
 */
export async function rotateKeys(ctx: ServiceContext, input: RotateKeysInput = {}): Promise<RotateKeysResult> {
  const c = loadConfig();
  const keysDir = input.keysDir ?? c.keysDir;
  const now = input.now ?? new Date();
  const epochDays = input.epochDays ?? c.MASKPATROL_KEY_EPOCH_DAYS;
  const retentionDays = input.retentionDays ?? c.MASKPATROL_KEY_RETENTION_DAYS;

  const epochs = readEpochs(keysDir);
  const cur = currentEpochMeta(epochs);
  const expired = epochs.some(
    (e) => e.retiredAt !== null && e.destroyedAt === null && now.getTime() - Date.parse(e.retiredAt) >= retentionDays * DAY_MS,
  );
  if (cur && !input.force && !rotationDue(cur, now, epochDays) && !expired)
    return { created: null, retired: null, destroyed: [], audited: false };

  return executeVerb(ctx, {
    action: 'keys.rotate',
    permission: 'keys.manage',
    wiki: GLOBAL,
    async run() {
      const r = rotateEpochs(keysDir, now, { epochDays, retentionDays, force: input.force });
      return {
        result: { ...r, audited: true },
        audit: {
          targetType: 'key-epoch',
          targetId: r.created?.id ?? cur?.id,
          wiki: GLOBAL,
          reason: input.force ? 'forced rotation' : 'scheduled rotation and retention',
          before: { current: cur?.id ?? null },
          after: {
            current: r.created?.id ?? cur?.id ?? null,
            retired: r.retired?.id ?? null,
            destroyed: r.destroyed.map((e) => e.id),
            epochDays,
            retentionDays,
          },
        },
      };
    },
    afterCommit: (r) =>
      log().info(
        { created: r.created?.id ?? null, retired: r.retired?.id ?? null, destroyed: r.destroyed.map((e) => e.id) },
        'pseudonym key epochs rotated',
      ),
  });
}
