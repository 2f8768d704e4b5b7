'use server';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import QRCode from 'qrcode';
import { runAction, type ActionState } from '@/app/_lib/action';
import { currentSession } from '@/app/_lib/actor';
import { markSecondFactorVerified } from '@/app/_lib/session';
import { checkCodeThrottled } from '@/lib/auth/code-check';
import { landingPath } from '@/lib/auth/permissions';
import { SecondFactorRequiredError, ValidationError } from '@/lib/errors';
import { messages } from '@/lib/messages';
import { beginEnrolment, confirmEnrolment, disableOwnTotp, regenerateRecoveryCodes } from '@/lib/services/totp-enrol';

const str = (f: FormData, k: string) => {
  const v = f.get(k);
  return typeof v === 'string' ? v : '';
};

/** Only same-site paths: never an open redirect. */
function safePath(p: string): string {
  return p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\') ? p : '/';
}

/** A session that signed in with a password only while TOTP is set up must pass it before changing it. */
async function assertNotAwaitingVerification() {
  if ((await currentSession())?.pending === 'verify') throw new SecondFactorRequiredError();
}

export type EnrolmentData = { qr: string; secret: string };

export async function beginEnrolmentAction(_prev: ActionState, _form: FormData): Promise<ActionState<EnrolmentData>> {
  return runAction(
    async (ctx) => {
      await assertNotAwaitingVerification();
      const { secret, uri } = await beginEnrolment(ctx);
      const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 220 });
      return { message: messages.account.scan, data: { qr, secret } };
    },
    { allowPending: true },
  );
}

export async function confirmEnrolmentAction(_prev: ActionState, form: FormData): Promise<ActionState<{ recoveryCodes: string[]; next: string }>> {
  return runAction(
    async (ctx) => {
      await assertNotAwaitingVerification();
      const { recoveryCodes } = await confirmEnrolment(ctx, { code: str(form, 'code') });
      // the server just verified a code from the new secret: this session has passed its second factor
      await markSecondFactorVerified({ stepUp: true });
      return { message: messages.account.enrolledNow, data: { recoveryCodes, next: landingPath(ctx.actor) } };
    },
    { allowPending: true },
  );
}

export async function regenerateRecoveryAction(_prev: ActionState, _form: FormData): Promise<ActionState<{ recoveryCodes: string[]; next: string }>> {
  return runAction(async (ctx) => {
    const { recoveryCodes } = await regenerateRecoveryCodes(ctx);
    return { message: messages.account.recoveryTitle, data: { recoveryCodes, next: '/account/security' } };
  });
}

export async function disableTotpAction(_prev: ActionState, _form: FormData): Promise<ActionState> {
  return runAction(async (ctx) => {
    await disableOwnTotp(ctx);
    return { message: messages.account.disabled };
  });
}

/**
 * Verify a code typed into a code form, then refresh the session (server-side verification only):
 * mode "step-up" takes TOTP codes only and refreshes stepUpAt; mode "verify" (a password-only session of an
 * enrolled account) also takes a recovery code. Then back to the same-site callback path.
 */
export async function verifyCodeAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const mode = str(form, 'mode') === 'verify' ? 'verify' : 'step-up';
  const target = safePath(str(form, 'callbackUrl') || '/');
  const res = await runAction(
    async (ctx) => {
      const h = await headers();
      const factor = await checkCodeThrottled(ctx.actor, str(form, 'code'), h.get('x-maskpatrol-client'), { allowRecovery: mode === 'verify' });
      if (!factor) throw new ValidationError(messages.stepUp.failed, { code: 'invalid' });
      await markSecondFactorVerified({ stepUp: factor === 'totp' });
      return { message: messages.stepUp.ok };
    },
    { allowPending: mode === 'verify' },
  );
  if (res.status === 'ok') redirect(target);
  return res;
}
