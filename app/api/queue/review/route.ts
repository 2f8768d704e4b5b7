import { jsonRoute } from '@/app/_lib/route';
import { reviewEdit, type TReviewRequest } from '@/lib/services/edit-review';

/** POST { editId }: mark an edit reviewed for the team (edit.review on its wiki; audited, idempotent). */
export const POST = jsonRoute(async (_req, ctx, body) => reviewEdit(ctx, body as TReviewRequest));
