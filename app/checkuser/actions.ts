'use server';
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/app/_lib/action';
import { acknowledgeAgreement } from '@/lib/services/reveal-admin';
import { decideRevealRequest, requestBulkReveal } from '@/lib/services/reveal-requests';

const str = (f: FormData, k: string) => {
  const v = f.get(k);
  return typeof v === 'string' ? v : '';
};

/** The holder's own acknowledgement of the access agreement on record (audited). */
export async function acknowledgeAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const res = await runAction(async (ctx) => {
    const r = await acknowledgeAgreement(ctx, { version: str(form, 'version') });
    return { message: `Acknowledged the access agreement version ${r.version}.` };
  });
  revalidatePath('/checkuser');
  return res;
}

/** File a range or cluster reveal request for approval (audited; refusals audited too). */
export async function requestRevealAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const res = await runAction(async (ctx) => {
    const r = await requestBulkReveal(ctx, {
      target: { type: str(form, 'targetType'), key: str(form, 'targetKey').trim() },
      category: str(form, 'category'),
      reason: str(form, 'reason'),
      caseRef: str(form, 'caseRef'),
    });
    return { message: `Request filed; it needs approval by another checkuser or a steward before ${r.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` };
  });
  revalidatePath('/checkuser');
  return res;
}

/** Approve or deny someone else's request (checkusers and stewards; never one's own). */
export async function decideRequestAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const approve = str(form, 'approve') === 'true';
  const res = await runAction(async (ctx) => {
    await decideRevealRequest(ctx, { requestId: str(form, 'requestId'), approve, note: str(form, 'note') });
    return { message: approve ? 'Approved.' : 'Denied.' };
  });
  revalidatePath('/checkuser');
  revalidatePath('/steward/reveals');
  return res;
}
