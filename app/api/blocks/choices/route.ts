import { jsonRoute } from '@/app/_lib/route';
import { blockChoices } from '@/lib/blocks/choices';
import { ValidationError } from '@/lib/errors';

/** GET ?actor=<key or temporary name> | ?cluster=<id>: what the block dialog offers (block.manage). */
export const GET = jsonRoute(async (req, ctx) => {
  const p = new URL(req.url).searchParams;
  const actor = p.get('actor');
  const cluster = p.get('cluster');
  if (actor && actor.length <= 255) return blockChoices(ctx.actor, { actorKey: actor });
  if (cluster && /^[0-9A-Za-z-]{1,64}$/.test(cluster)) return blockChoices(ctx.actor, { clusterId: cluster });
  throw new ValidationError('Name an actor or a cluster.', { actor: 'or cluster is required' });
});
