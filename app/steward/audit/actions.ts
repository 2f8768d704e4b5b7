'use server';
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/app/_lib/action';
import { messages } from '@/lib/messages';
import { verifyAuditNow } from '@/lib/services/audit-verify';

/** "Verify now": an audited verification ('audit.verify'), shown as the last verification. */
export async function verifyNowAction(_prev: ActionState, _form: FormData): Promise<ActionState> {
  const res = await runAction(async (ctx) => {
    const s = await verifyAuditNow(ctx);
    return { message: s.ok ? messages.auditChain.verifiedOk : messages.auditChain.verifiedBad };
  });
  revalidatePath('/steward/audit');
  return res;
}
