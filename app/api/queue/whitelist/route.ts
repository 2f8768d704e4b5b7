import { jsonRoute } from '@/app/_lib/route';
import { unwhitelistEditor, whitelistEditor, type TWhitelistAddRequest, type TWhitelistRemoveRequest } from '@/lib/services/whitelist';

/** POST { editId, reason? }: whitelist that edit's editor on its wiki (whitelist.manage; audited). */
export const POST = jsonRoute(async (_req, ctx, body) => whitelistEditor(ctx, body as TWhitelistAddRequest));

/** DELETE { wiki, actorKey, reason? }: take an editor off a wiki's whitelist (whitelist.manage; audited). */
export const DELETE = jsonRoute(async (_req, ctx, body) => unwhitelistEditor(ctx, body as TWhitelistRemoveRequest));
