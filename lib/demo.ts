import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from './db/generated/client';
import { ROLES, type RoleName } from './auth/permissions';
import { recordAgreement, setRevealGrant } from './services/reveal-admin';
import { createUser } from './services/user-create';

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';

/**
 * First start on the embedded default: one account per role with a random password, written to
 * <dataDir>/demo-credentials.txt (0600) and returned for printing once. Never runs when any account exists.
 */
export async function seedDemoAccounts(prisma: PrismaClient, dataDir: string): Promise<{ username: string; role: RoleName; password: string }[] | null> {
  if ((await prisma.user.count()) > 0) return null;
  const created: { username: string; role: RoleName; password: string }[] = [];
  for (const role of ROLES) {
    const u = await createUser(
      { actor: { kind: 'system', name: 'first-start' }, request: { via: 'system' }, db: prisma },
      { username: `demo-${role}`, roles: [{ role, wiki: '*' }], reason: 'demo account created on first start' },
    );
    created.push({ username: u.username, role, password: u.generatedPassword! });
  }
  // the reveal (step 8): the checkuser holds it by role; the administrator keeps access by an individual grant
  // under a non-disclosure agreement. Both agreements are on record; each holder acknowledges it themselves.
  const system = { actor: { kind: 'system' as const, name: 'first-start' }, request: { via: 'system' as const }, db: prisma };
  const ids = await prisma.user.findMany({ where: { username: { in: ['demo-admin', 'demo-checkuser'] } }, select: { id: true, username: true } });
  const today = new Date().toISOString().slice(0, 10);
  for (const u of ids) {
    if (u.username === 'demo-admin')
      await setRevealGrant(system, { userId: u.id, grant: true, wiki: '*', reason: 'demo: administrators keep reveal access under a non-disclosure agreement' });
    await recordAgreement(system, { userId: u.id, version: 'NDA-1', signedOn: today, reason: 'demo: access agreement on record' });
  }
  const file = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  const lines = [
    '# maskpatrol demo accounts (embedded default), created on first start.',
    '# Each holds one role on all wikis. Delete this file once you have noted them.',
    ...created.map((c) => `${c.role}\t${c.username}\t${c.password}`),
    '',
  ];
  fs.writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return created;
}
