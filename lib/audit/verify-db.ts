import type { PrismaClient } from '../db/generated/client';
import type { Tx } from '../db/client';
import { loadConfig } from '../config';
import { readCheckpointFile } from './checkpoint-file';
import { keyMap, publicKeyFromPem, readPublicKey } from './signing';
import { verifyAudit, type ChainSource, type StoredRow, type VerifyReport } from './verify';
import type { Checkpoint } from './signing';

/** The verifier's view of the database: audit_event and audit_checkpoint, read in seq order. */
export function dbSource(prisma: PrismaClient | Tx): ChainSource {
  return {
    rows: (from, limit) => prisma.auditEvent.findMany({ where: { seq: { gte: from } }, orderBy: { seq: 'asc' }, take: limit }),
    rowByHash: (hash) => prisma.auditEvent.findUnique({ where: { hash } }),
    rowsAt: (seqs) => prisma.auditEvent.findMany({ where: { seq: { in: seqs } } }),
    lastSeq: async () => (await prisma.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }))?.seq ?? null,
    checkpoints: () => prisma.auditCheckpoint.findMany({ orderBy: { seq: 'asc' } }),
  };
}

/** An in-memory source (tests; and anything that already holds the rows). Rows are taken in seq order. */
export function memorySource(rows: StoredRow[], checkpoints: Checkpoint[]): ChainSource {
  const sorted = [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  return {
    rows: async (from, limit) => sorted.filter((r) => r.seq >= from).slice(0, limit),
    rowByHash: async (hash) => sorted.find((r) => r.hash === hash) ?? null,
    rowsAt: async (seqs) => sorted.filter((r) => seqs.includes(r.seq)),
    lastSeq: async () => sorted.at(-1)?.seq ?? null,
    checkpoints: async () => checkpoints,
  };
}

export interface VerifyDbOptions {
  keysDir?: string;
  checkpointFile?: string;
  /** PEM public keys to accept besides the key store's (e.g. a verifier without the private key) */
  publicKeysPem?: string[];
  batchSize?: number;
}

/** Verify the configured database's chain against the configured key store and checkpoint file. */
export async function verifyDatabase(prisma: PrismaClient | Tx, o: VerifyDbOptions = {}): Promise<VerifyReport> {
  const config = o.keysDir && o.checkpointFile ? null : loadConfig();
  const keysDir = o.keysDir ?? config!.keysDir;
  const file = o.checkpointFile ?? config!.audit.checkpointFile;
  const publicKeys = keyMap([readPublicKey(keysDir), ...(o.publicKeysPem ?? []).map(publicKeyFromPem)]);
  return verifyAudit(dbSource(prisma), { publicKeys, file: readCheckpointFile(file), batchSize: o.batchSize });
}
