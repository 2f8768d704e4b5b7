import { randomUUID } from 'node:crypto';
import { publishBlocksChanged } from '../blocks/events';
import pg from 'pg';
import { z } from 'zod';
import { log } from '../log';
import type { Tx } from '../db/client';
import { publishQueueEvent, publishStored, type EditsStored, type QueueEvent } from './bus';

/**
 * Fan-out across app instances on PostgreSQL: the ingest leader NOTIFYs `maskpatrol_edits` after each
 * committed batch, and every instance LISTENs on its own connection and re-publishes what it hears on its
 * in-process bus (lib/ingest/bus.ts), where its live pages pick it up. Payloads carry edit ids only (never
 * content) and the sender's instance id, so an instance ignores its own notifications (it published those
 * in-process already). NOTIFY payloads are limited to 8,000 bytes: ids go in chunks.
 */
export const CHANNEL = 'maskpatrol_edits';
/** Shared queue state (reviews, whitelist) changed by a verb on some instance. */
export const QUEUE_CHANNEL = 'maskpatrol_queue';
/** block changes (payload: the origin instance id), see lib/blocks/after-change.ts */
export const BLOCKS_CHANNEL = 'maskpatrol_blocks';
export const INSTANCE_ID: string = randomUUID();
const IDS_PER_NOTIFY = 300;

const ZPayload = z.object({
  o: z.string().max(64),
  f: z.string().max(200),
  i: z.array(z.string().regex(/^\d{1,20}$/)).max(IDS_PER_NOTIFY),
});

const ZQueueEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('review'),
    wiki: z.string().max(200),
    editId: z.string().regex(/^\d{1,20}$/),
    review: z.object({ by: z.string().max(300), at: z.string().max(40) }).nullable(),
  }),
  z.object({ type: z.literal('whitelist'), wiki: z.string().max(200), actorKey: z.string().max(300), whitelisted: z.boolean() }),
]);
const ZQueuePayload = z.object({ o: z.string().max(64), e: ZQueueEvent });

/**
 * Tell the other instances about a queue change, from inside the verb's transaction: PostgreSQL delivers a
 * NOTIFY only when the transaction commits, so a rolled-back verb (failed audit insert) announces nothing.
 * The own instance publishes in-process after commit (the verb's afterCommit) and ignores its own echo.
 */
export async function notifyQueueEvent(tx: Tx, e: QueueEvent, origin = INSTANCE_ID): Promise<void> {
  const payload = JSON.stringify({ o: origin, e });
  await tx.$queryRaw`SELECT pg_notify(${QUEUE_CHANNEL}, ${payload})::text AS sent`;
}

function parseJson<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

interface Queryable {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/** Publish in-process and NOTIFY the other instances (errors are logged: live updates are best effort). */
export async function notifyStored(client: Queryable, e: EditsStored, origin = INSTANCE_ID): Promise<void> {
  for (let k = 0; k < e.ids.length; k += IDS_PER_NOTIFY) {
    const payload = JSON.stringify({ o: origin, f: e.feed, i: e.ids.slice(k, k + IDS_PER_NOTIFY) });
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
  }
}

export interface Listener {
  stop(): Promise<void>;
}

/**
 * LISTEN on a dedicated connection, reconnecting with backoff; re-publish other instances' stored batches and
 * queue changes in-process.
 */
export function listenForStored(
  databaseUrl: string,
  opts: { origin?: string; publish?: (e: EditsStored) => void; publishQueue?: (e: QueueEvent) => void; retryMs?: number } = {},
): Listener & { ready: Promise<void> } {
  const origin = opts.origin ?? INSTANCE_ID;
  const publish = opts.publish ?? publishStored;
  const publishQueue = opts.publishQueue ?? publishQueueEvent;
  let stopped = false;
  let client: pg.Client | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));

  const connect = async (): Promise<void> => {
    let wait = opts.retryMs ?? 1000;
    while (!stopped) {
      const c = new pg.Client({ connectionString: databaseUrl });
      try {
        c.on('error', () => {});
        c.on('notification', (n) => {
          // another instance changed the active blocks (lib/blocks/after-change.ts): reload ours
          if (n.channel === BLOCKS_CHANNEL) {
            if (n.payload !== origin) publishBlocksChanged();
            return;
          }
          if (!n.payload) return;
          if (n.channel === CHANNEL) {
            const p = parseJson(ZPayload, n.payload);
            if (p && p.o !== origin) publish({ feed: p.f, ids: p.i });
          } else if (n.channel === QUEUE_CHANNEL) {
            const p = parseJson(ZQueuePayload, n.payload);
            if (p && p.o !== origin) publishQueue(p.e);
          }
        });
        c.on('end', () => {
          if (!stopped) {
            log().warn('live-update listener lost its connection; reconnecting');
            void connect();
          }
        });
        await c.connect();
        await c.query(`LISTEN ${CHANNEL}`);
        await c.query(`LISTEN ${QUEUE_CHANNEL}`);
        await c.query(`LISTEN ${BLOCKS_CHANNEL}`);
        client = c;
        markReady();
        return;
      } catch (err) {
        await c.end().catch(() => {});
        log().warn({ err: { name: (err as Error).name } }, 'live-update listener could not connect; retrying');
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 30_000);
      }
    }
  };
  void connect();
  return {
    ready,
    async stop() {
      stopped = true;
      await client?.end().catch(() => {});
    },
  };
}
