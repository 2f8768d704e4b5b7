/**
 * Classifying a failed store by what the database said, without ever carrying a value along.
 *
 * Both driver adapters (@prisma/adapter-pg, pglite-prisma-adapter) wrap a failed raw query as a
 * PrismaClientKnownRequestError (P2010) whose `meta.driverAdapterError.cause` holds `originalCode` (the
 * SQLSTATE), a `kind`, and for some codes `column` / `constraint`. Socket-level failures carry a `kind` and
 * no SQLSTATE. Messages and `detail` quote the refused value (`value "…" is out of range`, `Failing row
 * contains (…)`), so nothing here reads them except the one schema-defined name a CHECK violation gives.
 *
 * - `data`: the database deterministically refuses something in the batch (SQLSTATE class 22 data
 *   exception, class 23 integrity violation other than 23505, class 54 program limit exceeded). Retrying
 *   the same batch can never succeed; the store isolates the offending event(s).
 * - `transient`: connection lost, database restarting, serialization failure/deadlock, too many
 *   connections, out of resources, timeouts. Retried with backoff.
 * - `other`: anything else (a trigger's RAISE, a schema mismatch, an unknown error). Also retried — it is
 *   not tied to one event, so isolating events would only drop good ones.
 *   A unique violation (23505) is `other`: the store handles its own unique keys with ON CONFLICT, so one
 *   that still surfaces comes from a concurrent writer or a bug, not from an event's data.
 */
export type DbErrorKind = 'data' | 'transient' | 'other';

export interface DbErrorInfo {
  kind: DbErrorKind;
  /** five-character SQLSTATE, when the driver exposed one */
  sqlstate: string | null;
  /** the driver adapter's kind (e.g. ValueOutOfRange, ConnectionClosed), for logs */
  driverKind: string | null;
  /** schema-defined column or constraint name, when the database named one */
  field: string | null;
}

const DATA_CLASSES = new Set(['22', '23', '54']);
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '58']);
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '57014', '55P03', '55006']);
const TRANSIENT_KINDS = new Set([
  'ConnectionClosed',
  'SocketTimeout',
  'DatabaseNotReachable',
  'TooManyConnections',
  'TransactionWriteConflict',
  'TlsConnectionError',
]);
/** Prisma client codes for transaction plumbing failures (timeouts, closed transactions, pool waits) */
const TRANSIENT_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);
/** node / pg connection errors that never reached the adapter's mapping */
const TRANSIENT_NODE = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj | null => (x !== null && typeof x === 'object' ? (x as Obj) : null);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The errors worth looking at, outermost first: the error, its causes, and the adapter error inside. */
function chain(err: unknown): Obj[] {
  const out: Obj[] = [];
  const queue: unknown[] = [err];
  while (queue.length && out.length < 8) {
    const o = obj(queue.shift());
    if (!o || out.includes(o)) continue;
    out.push(o);
    queue.push(o.cause, obj(o.meta)?.driverAdapterError);
  }
  return out;
}

/** A plain schema identifier only (names can be set by triggers; keep them short and inert). */
const ident = (s: string | null): string | null => (s && /^[A-Za-z_][A-Za-z0-9_$.]{0,62}$/.test(s) ? s : null);

function fieldOf(c: Obj): string | null {
  const constraint = obj(c.constraint);
  const fields = constraint && Array.isArray(constraint.fields) ? constraint.fields.map(String).join(', ') : null;
  const named =
    ident(str(c.column)) ??
    (fields && /^[A-Za-z0-9_", ]{1,120}$/.test(fields) ? fields.replaceAll('"', '') : null) ??
    // pg's own DatabaseError names the constraint as a string
    ident(str(c.constraint));
  if (named) return named;
  const index = ident(str(constraint?.index));
  if (index) return index;
  // a CHECK violation names its constraint in the message; the regex takes that name and nothing else
  const m = /violates check constraint "([A-Za-z0-9_]{1,63})"/.exec(str(c.originalMessage) ?? str(c.message) ?? '');
  return m?.[1] ?? null;
}

export function classifyDbError(err: unknown): DbErrorInfo {
  let sqlstate: string | null = null;
  let driverKind: string | null = null;
  let prismaCode: string | null = null;
  let nodeCode: string | null = null;
  let field: string | null = null;
  for (const c of chain(err)) {
    const original = str(c.originalCode);
    const code = str(c.code);
    if (!sqlstate && original && SQLSTATE.test(original)) sqlstate = original;
    // a pg DatabaseError thrown directly (severity marks it): its code is the SQLSTATE
    if (!sqlstate && code && SQLSTATE.test(code) && typeof c.severity === 'string') sqlstate = code;
    if (code && /^P[1-6]\d{3}$/.test(code) && !('severity' in c)) prismaCode ??= code;
    if (code && /^E[A-Z]+$/.test(code)) nodeCode ??= code;
    const kind = str(c.kind);
    if (kind && kind !== 'postgres') driverKind ??= kind;
    if (c.originalCode !== undefined || typeof c.severity === 'string') field ??= fieldOf(c);
  }
  const cls = sqlstate?.slice(0, 2) ?? null;
  let kind: DbErrorKind = 'other';
  if (sqlstate && cls) {
    if (DATA_CLASSES.has(cls) && sqlstate !== '23505') kind = 'data';
    else if (TRANSIENT_CLASSES.has(cls) || TRANSIENT_CODES.has(sqlstate)) kind = 'transient';
  } else if (
    (driverKind && TRANSIENT_KINDS.has(driverKind)) ||
    (prismaCode && TRANSIENT_PRISMA.has(prismaCode)) ||
    (nodeCode && TRANSIENT_NODE.has(nodeCode)) ||
    // no SQLSTATE and no known code: a lost connection or an expired transaction says so in words (the
    // message is only tested here, never kept: without a SQLSTATE it did not come from a refused row)
    chain(err).some((c) => /connection|terminated|timed? ?out|transaction (already )?closed|not ?connected/i.test(str(c.message) ?? ''))
  )
    kind = 'transient';
  return { kind, sqlstate, driverKind, field: kind === 'data' ? field : null };
}

const CLASS_NAMES: Record<string, string> = { '22': 'data exception', '23': 'integrity constraint violation', '54': 'program limit exceeded' };

/** The dead-letter reason for an event the database refused: SQLSTATE, its class, the field if named. */
export function refusalReason(info: DbErrorInfo): string {
  const cls = info.sqlstate?.slice(0, 2) ?? '';
  const field = info.field ? `, field \`${info.field}\`` : '';
  return `database refused the event: SQLSTATE ${info.sqlstate ?? '?'} (class ${cls} ${CLASS_NAMES[cls] ?? 'error'})${field}`;
}

/** Log fields for a failed store: names and codes only, never the driver's message (it quotes values). */
export function logFields(err: unknown, info: DbErrorInfo = classifyDbError(err)): Record<string, unknown> {
  return { errName: (err as Error | undefined)?.name ?? typeof err, kind: info.kind, sqlstate: info.sqlstate, driverKind: info.driverKind, field: info.field };
}
