import type { PrismaClient } from '../db/generated/client';

/**
 * Replay protection for signed ingest requests, kept in the database so that it holds across app
 * instances: an accepted signature is recorded until its request could no longer pass the time window;
 * the same signature again is refused. Expired rows are removed on the way.
 */
export async function claimSignature(prisma: PrismaClient, digest: string, expiresAt: Date, now = new Date()): Promise<boolean> {
  await prisma.ingestNonce.deleteMany({ where: { expiresAt: { lt: now } } });
  const r = await prisma.ingestNonce.createMany({ data: [{ signature: digest, expiresAt }], skipDuplicates: true });
  return r.count === 1;
}

/** Forget a claimed signature (its batch failed to store, so the same request may be sent again). */
export async function releaseSignature(prisma: PrismaClient, digest: string): Promise<void> {
  await prisma.ingestNonce.deleteMany({ where: { signature: digest } });
}
