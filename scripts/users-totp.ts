/**
 * npm run users:totp -- --username NAME (--reset | --enrol) [--reason TEXT]
 *
 * Operator tool for second factors, through the audited service layer (works while the server runs):
 *   --reset  removes the user's TOTP and recovery codes and ends their sessions (lost device and codes);
 *            a checkuser or steward then enrols again at their next sign-in.
 *   --enrol  enrols the user directly and prints the secret (base32) and ten recovery codes ONCE, for
 *            handing over on a safe channel (provisioning, automated tests). Prefer self-enrolment.
 */
import { provisionTotp, resetTotp } from '../lib/services/totp-reset';
import { flag, option, runTool } from './cli';

const args = process.argv.slice(2);
const USAGE = 'usage: npm run users:totp -- --username NAME (--reset | --enrol) [--reason TEXT]';

await runTool('users:totp', async ({ prisma }) => {
  const username = option(args, 'username');
  const reset = flag(args, 'reset');
  const enrol = flag(args, 'enrol');
  if (!username || reset === enrol) {
    console.error(USAGE);
    return 2;
  }
  const user = await prisma.user.findUnique({ where: { username }, select: { id: true } });
  if (!user) {
    console.error('users:totp: no such user.');
    return 1;
  }
  const ctx = { actor: { kind: 'system' as const, name: 'cli:users:totp' }, request: { via: 'cli' as const }, db: prisma };
  const reason = option(args, 'reason') ?? (reset ? 'reset with npm run users:totp' : 'enrolled with npm run users:totp');
  if (reset) {
    await resetTotp(ctx, { userId: user.id, reason });
    console.log(`Two-factor authentication of ${username} removed; their sessions are ended.`);
    return 0;
  }
  const { secret, recoveryCodes } = await provisionTotp(ctx, { userId: user.id, reason });
  console.log(`Two-factor authentication of ${username} enrolled. Shown once:`);
  console.log(`Secret (base32): ${secret}`);
  console.log(`Recovery codes: ${recoveryCodes.join(' ')}`);
  return 0;
});
