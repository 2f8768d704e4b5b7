import type { AppConfig } from '../config';
import { db } from '../db/client';
import { log } from '../log';
import { installCheckpointer, type Checkpointer } from './checkpoint';
import { loadOrCreateSigningKey } from './signing';

/**
 * Server start: load (or create, on first start) the checkpoint key, install the process's checkpointer,
 * append to the file any checkpoint a crash kept from it, take a checkpoint of what is there, and start the
 * timer. Returns the checkpointer (stop() at shutdown).
 */
export async function startCheckpoints(config: AppConfig): Promise<Checkpointer> {
  const key = loadOrCreateSigningKey(config.keysDir);
  const cp = installCheckpointer({
    prisma: db,
    key,
    file: config.audit.checkpointFile,
    rows: config.audit.checkpointRows,
    actions: config.audit.checkpointActions,
    witnessUrl: config.audit.witnessUrl,
  })!;
  const healed = await cp.syncFile();
  if (healed) log().warn({ count: healed }, 'audit checkpoints missing from the checkpoint file were appended to it');
  cp.request();
  cp.startTimer(config.audit.checkpointMinutes);
  log().info({ keyId: key.keyId, file: config.audit.checkpointFile, rows: config.audit.checkpointRows }, 'audit checkpoints on');
  return cp;
}
