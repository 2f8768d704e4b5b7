'use server';
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/app/_lib/action';
import { recordAgreement, reviewReveal, setRevealGrant, setRevealSuspended } from '@/lib/services/reveal-admin';

const str = (f: FormData, k: string) => {
  const v = f.get(k);
  return typeof v === 'string' && v !== '' ? v : undefined;
};

async function steward(fn: Parameters<typeof runAction>[0]): Promise<ActionState> {
  const res = await runAction(fn);
  revalidatePath('/steward/reveals');
  return res;
}

export async function recordAgreementAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return steward(async (ctx) => {
    const r = await recordAgreement(ctx, { userId: str(form, 'userId') ?? '', version: str(form, 'version') ?? '', signedOn: str(form, 'signedOn') ?? '', reason: str(form, 'reason') });
    return { message: `Agreement version ${r.version} recorded.` };
  });
}

export async function grantRevealAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const grant = str(form, 'grant') === 'true';
  return steward(async (ctx) => {
    await setRevealGrant(ctx, { userId: str(form, 'userId') ?? '', grant, wiki: str(form, 'wiki') ?? '*', reason: str(form, 'reason') });
    return { message: grant ? 'Reveal permission granted.' : 'Reveal grant withdrawn.' };
  });
}

export async function suspendRevealAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const suspend = str(form, 'suspend') === 'true';
  return steward(async (ctx) => {
    await setRevealSuspended(ctx, { userId: str(form, 'userId') ?? '', suspend, note: str(form, 'note') });
    return { message: suspend ? 'Reveal permission suspended.' : 'Reveal permission restored.' };
  });
}

export async function reviewRevealAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return steward(async (ctx) => {
    await reviewReveal(ctx, { revealId: str(form, 'revealId') ?? '', outcome: (str(form, 'outcome') ?? '') as 'fine', note: str(form, 'note') });
    return { message: 'Review recorded.' };
  });
}
