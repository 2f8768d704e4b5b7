'use server';
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/app/_lib/action';
import { grantRole } from '@/lib/services/role-grant';
import { endSessions } from '@/lib/services/session-revoke';
import { createUser } from '@/lib/services/user-create';
import { resetTotp } from '@/lib/services/totp-reset';
import { setUserDisabled } from '@/lib/services/user-disable';

const str = (f: FormData, k: string) => {
  const v = f.get(k);
  return typeof v === 'string' && v !== '' ? v : undefined;
};

export async function createUserAction(_prev: ActionState, form: FormData): Promise<ActionState<{ password?: string }>> {
  const res = await runAction(async (ctx) => {
    const role = str(form, 'role');
    const user = await createUser(ctx, {
      username: str(form, 'username') ?? '',
      roles: role ? [{ role: role as never, wiki: str(form, 'wiki') ?? '*' }] : [],
      reason: str(form, 'reason'),
    });
    return {
      message: `Created ${user.username}. Give them this password over a safe channel; it is shown only now.`,
      data: { password: user.generatedPassword },
    };
  });
  revalidatePath('/steward');
  return res;
}

export async function grantRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const res = await runAction(async (ctx) => {
    const g = await grantRole(ctx, {
      userId: str(form, 'userId') ?? '',
      role: (str(form, 'role') ?? '') as never,
      wiki: str(form, 'wiki') ?? '*',
      reason: str(form, 'reason'),
    });
    return { message: `Granted ${g.role} on ${g.wiki === '*' ? 'all wikis' : g.wiki}.` };
  });
  revalidatePath('/steward');
  return res;
}

export async function endSessionsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const res = await runAction(async (ctx) => {
    await endSessions(ctx, { userId: str(form, 'userId') ?? '', reason: str(form, 'reason') });
    return { message: 'Their sessions are ended; they must sign in again.' };
  });
  revalidatePath('/steward');
  return res;
}

export async function setDisabledAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const disabled = str(form, 'disabled') === 'true';
  const res = await runAction(async (ctx) => {
    await setUserDisabled(ctx, { userId: str(form, 'userId') ?? '', disabled, reason: str(form, 'reason') });
    return { message: disabled ? 'Account disabled; its sessions are ended.' : 'Account enabled.' };
  });
  revalidatePath('/steward');
  return res;
}

export async function resetTotpAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const res = await runAction(async (ctx) => {
    await resetTotp(ctx, { userId: str(form, 'userId') ?? '', reason: str(form, 'reason') });
    return { message: 'Two-factor authentication reset; their sessions are ended.' };
  });
  revalidatePath('/steward');
  return res;
}
