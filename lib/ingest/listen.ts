import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { log } from '../log';
import { publishStored, type EditsStored } from './bus';

/**
 * Fan-out across app instances on PostgreSQL: the ingest leader NOTIFYs `maskpatrol_edits` after each
 * committed batch, and every instance LISTENs on its own connection and re-publishes what it hears on its
 * in-process bus (lib/ingest/bus.ts), where its live pages pick it up. Payloads carry edit ids only (never
 * content) and the sender's instance id, so an instance ignores its own notifications (it published those
 * in-process already). NOTIFY payloads are limited to 8,000 bytes: ids go in chunks.
 */
export const CHANNEL = 'maskpatrol_edits';
export const INSTANCE_ID: string = randomUUID();
const IDS_PER_NOTIFY = 300;

const ZPayload = z.object({
  o: z.string().max(64),
  f: z.string().max(200),
  i: z.array(z.string().regex(/^\d{1,20}$/)).max(IDS_PER_NOTIFY),
});

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

/** LISTEN on a dedicated connection, reconnecting with backoff; re-publish others' batches in-process. */
export function listenForStored(
  databaseUrl: string,
  opts: { origin?: string; publish?: (e: EditsStored) => void; retryMs?: number } = {},
): Listener & { ready: Promise<void> } {
  const origin = opts.origin ?? INSTANCE_ID;
  const publish = opts.publish ?? publishStored;
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
          if (n.channel !== CHANNEL || !n.payload) return;
          let parsed: z.infer<typeof ZPayload>;
          try {
            const r = ZPayload.safeParse(JSON.parse(n.payload));
            if (!r.success) return;
            parsed = r.data;
          } catch {
            return;
          }
          if (parsed.o !== origin) publish({ feed: parsed.f, ids: parsed.i });
        });
        c.on('end', () => {
          if (!stopped) {
            log().warn('live-update listener lost its connection; reconnecting');
            void connect();
          }
        });
        await c.connect();
        await c.query(`LISTEN ${CHANNEL}`);
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
