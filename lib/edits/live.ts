import { canOnAnyWiki, wikisWith, type Actor } from '../auth/permissions';
import { onQueueEvent, onStored, type EditsStored, type QueueEvent } from '../ingest/bus';
import { log } from '../log';
import type { EditRow } from './queries';
import { editsAfter, editsByIds } from './queue';

/**
 * The live queue as server-sent events (text/event-stream), fed by the ingest bus:
 *   event: ready    id: <cursor>   once subscribed
 *   event: edits    id: <max id>   { rows: EditRow[] } — a stored batch, limited to the viewer's wikis
 *   event: review                  { editId, wiki, review: { by, at } | null }
 *   event: whitelist               { wiki, actorKey, whitelisted }
 *   ": ping" comments every 15 s (proxies keep the connection; the viewer is re-checked each time).
 * A reconnecting browser sends Last-Event-ID and gets the edits it missed (one page at most; when more arrived it
 * gets a `gap` event and reloads its first page). Rows are masked
 * EditRows: pseudonyms and masked text only, never an IP.
 */
const HEARTBEAT_MS = 15_000;
/** a client this many messages behind is dropped; its browser reconnects and catches up by Last-Event-ID */
const MAX_BACKLOG = 500;
const LOADER: Actor = { kind: 'system', name: 'queue-stream' };

/** One database read per stored batch, shared by every open stream of this process. */
const batches = new WeakMap<EditsStored, Promise<EditRow[]>>();
function batchRows(e: EditsStored): Promise<EditRow[]> {
  let p = batches.get(e);
  if (!p) {
    p = editsByIds(LOADER, e.ids);
    batches.set(e, p);
  }
  return p;
}

function visibleTo(actor: Actor): (wiki: string) => boolean {
  const wikis = wikisWith(actor, 'queue.view');
  return (wiki) => wikis === '*' || wikis.includes(wiki);
}

function maxId(rows: EditRow[], floor: bigint): bigint {
  return rows.reduce((m, r) => (BigInt(r.id) > m ? BigInt(r.id) : m), floor);
}

export interface QueueStreamOptions {
  /** Last-Event-ID (or ?after=) of a reconnecting client: the highest edit id it has */
  lastEventId?: string | null;
  signal: AbortSignal;
  /** re-load the viewer (disabled, revoked roles); null ends the stream */
  recheck(): Promise<Actor | null>;
  heartbeatMs?: number;
}

export function openQueueStream(viewer: Actor, opts: QueueStreamOptions): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let actor = viewer;
  let visible = visibleTo(actor);
  let cursor = opts.lastEventId && /^\d{1,19}$/.test(opts.lastEventId) ? BigInt(opts.lastEventId) : 0n;
  const cleanups: (() => void)[] = [];
  let closed = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        for (const c of cleanups.splice(0)) c();
        try {
          controller.close();
        } catch {
          /* already closed by the client */
        }
      };
      const send = (event: string | null, data: unknown, id?: bigint) => {
        if (closed) return;
        if ((controller.desiredSize ?? 0) < -MAX_BACKLOG) return close();
        let msg = event ? `event: ${event}\n` : '';
        if (id !== undefined) msg += `id: ${id}\n`;
        msg += `data: ${JSON.stringify(data)}\n\n`;
        controller.enqueue(enc.encode(msg));
      };
      const sendRows = (rows: EditRow[]) => {
        const mine = rows.filter((r) => visible(r.wiki));
        if (!mine.length) return;
        cursor = maxId(mine, cursor);
        send('edits', { rows: mine }, cursor);
      };

      opts.signal.addEventListener('abort', close, { once: true });
      cleanups.push(() => opts.signal.removeEventListener('abort', close));
      cleanups.push(
        onStored((e) => {
          batchRows(e).then(sendRows, (err: unknown) => log().warn({ err: { name: (err as Error).name } }, 'live queue could not load a batch'));
        }),
      );
      cleanups.push(
        onQueueEvent((e: QueueEvent) => {
          if (visible(e.wiki)) send(e.type, e);
        }),
      );
      const beat = setInterval(() => {
        void opts.recheck().then(
          (a) => {
            if (!a || !canOnAnyWiki(a, 'queue.view')) return close();
            actor = a;
            visible = visibleTo(a);
            if (!closed) controller.enqueue(enc.encode(': ping\n\n'));
          },
          () => close(),
        );
      }, opts.heartbeatMs ?? HEARTBEAT_MS);
      cleanups.push(() => clearInterval(beat));

      controller.enqueue(enc.encode('retry: 3000\n\n'));
      const resume = cursor;
      void (async () => {
        if (resume > 0n) {
          try {
            const after = await editsAfter(actor, resume.toString());
            // more arrived than one page: the client reloads its first page instead of showing a hole
            if (after.gap) send('gap', { after: resume.toString() });
            sendRows(after.rows);
          } catch (err) {
            log().warn({ err: { name: (err as Error).name } }, 'live queue could not catch up a reconnecting client');
          }
        }
        send('ready', { at: new Date().toISOString() }, cursor);
      })();
    },
    cancel() {
      closed = true;
      for (const c of cleanups.splice(0)) c();
    },
  });
}
