import { authorize, canOnAnyWiki, type Actor } from '../auth/permissions';
import { db, type Tx } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { findIps } from '../masking/text';
import { anomalies, type AnomalyFlag } from './anomaly';
import { revealConfig } from './config';
import { mayOfferReveal } from './eligibility';

/**
 * Read views of reveals (never an address: the trail holds pseudonyms, reasons and counts). Stewards see
 * everything (reveal.manage); a holder sees their own status, reveals and requests; approvers see the
 * requests waiting for them.
 */
export interface TrailFilters {
  holder?: string;
  target?: string;
  category?: string;
  /** YYYY-MM-DD, inclusive, UTC */
  from?: string;
  to?: string;
}

export interface TrailRow {
  id: string;
  createdAt: string;
  holderName: string;
  targetType: string;
  targetLabel: string;
  targetKey: string;
  wikis: string[];
  reasonCategory: string;
  reasonText: string;
  caseRef: string | null;
  ipCount: number;
  bulk: boolean;
  reviewOutcome: string | null;
  reviewNote: string | null;
  reviewedByName: string | null;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

/**
 * The filters worth keeping: trimmed, bounded, and none holding an IP address (the trail holds none, and the
 * filters travel in URLs and in the export's audit row).
 */
export function cleanFilters(f: TrailFilters): TrailFilters {
  const out: TrailFilters = {};
  for (const k of ['holder', 'target', 'category', 'from', 'to'] as const) {
    const v = f[k];
    if (typeof v === 'string' && v.trim() && !findIps(v).length) out[k] = v.trim().slice(0, 200);
  }
  return out;
}

export function trailWhere(raw: TrailFilters): Prisma.RevealWhereInput {
  const f = cleanFilters(raw);
  const w: Prisma.RevealWhereInput = {};
  if (f.holder?.trim()) w.holderName = { contains: f.holder.trim().slice(0, 64), mode: 'insensitive' };
  if (f.target?.trim()) {
    const q = f.target.trim().slice(0, 200);
    w.OR = [{ targetLabel: { contains: q, mode: 'insensitive' } }, { targetKey: q }];
  }
  if (f.category?.trim()) w.reasonCategory = f.category.trim();
  const created: { gte?: Date; lt?: Date } = {};
  if (f.from && DAY_RE.test(f.from)) created.gte = new Date(`${f.from}T00:00:00Z`);
  if (f.to && DAY_RE.test(f.to)) created.lt = new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY);
  if (created.gte || created.lt) w.createdAt = created;
  return w;
}

export async function trailRows(prisma: Tx | ReturnType<typeof db>, f: TrailFilters, limit = 500): Promise<TrailRow[]> {
  const rows = await prisma.reveal.findMany({ where: trailWhere(f), orderBy: { createdAt: 'desc' }, take: Math.min(limit, 10_000) });
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    holderName: r.holderName,
    targetType: r.targetType,
    targetLabel: r.targetLabel,
    targetKey: r.targetKey,
    wikis: r.wikis,
    reasonCategory: r.reasonCategory,
    reasonText: r.reasonText,
    caseRef: r.caseRef,
    ipCount: r.ipCount,
    bulk: r.requestId !== null,
    reviewOutcome: r.reviewOutcome,
    reviewNote: r.reviewNote,
    reviewedByName: r.reviewedByName,
  }));
}

export async function revealTrail(actor: Actor, f: TrailFilters = {}): Promise<TrailRow[]> {
  authorize(actor, 'reveal.manage', '*');
  return trailRows(db(), f);
}

/** Reveals per holder per UTC day over the last `days` days: one row per day, one key per holder. */
export async function revealsPerDay(actor: Actor, now = new Date(), days = 30) {
  authorize(actor, 'reveal.manage', '*');
  const since = new Date(Date.parse(now.toISOString().slice(0, 10)) - (days - 1) * DAY);
  const rows = await db().$queryRaw<{ day: string; holder: string; n: number }[]>`
    SELECT to_char(date_trunc('day', "createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, "holderName" AS holder, count(*)::int AS n
    FROM reveal WHERE "createdAt" >= ${since} GROUP BY 1, 2 ORDER BY 1, 2`;
  const holders = [...new Set(rows.map((r) => r.holder))].sort();
  const byDay = new Map<string, Record<string, number | string>>();
  for (let i = 0; i < days; i++) {
    const day = new Date(since.getTime() + i * DAY).toISOString().slice(0, 10);
    byDay.set(day, { day, ...Object.fromEntries(holders.map((h) => [h, 0])) });
  }
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (d) d[r.holder] = r.n;
  }
  return { holders, points: [...byDay.values()], total: rows.reduce((a, r) => a + r.n, 0) };
}

/** The anomaly flags of lib/reveal/anomaly.ts over every holder who revealed in the last 31 days. */
export async function revealAnomalies(actor: Actor, now = new Date()): Promise<AnomalyFlag[]> {
  authorize(actor, 'reveal.manage', '*');
  const recent = new Date(now.getTime() - DAY);
  const rows = await db().$queryRaw<{ holderId: string; holderName: string; bucket: number; n: number }[]>`
    SELECT "holderId"::text AS "holderId", max("holderName") AS "holderName",
           CASE WHEN "createdAt" > ${recent} THEN -1 ELSE floor(extract(epoch FROM (${recent}::timestamptz - "createdAt")) / 86400)::int END AS bucket,
           count(*)::int AS n
    FROM reveal WHERE "createdAt" > ${new Date(recent.getTime() - 30 * DAY)} GROUP BY 1, 3`;
  const holders = new Map<string, { holderId: string; holderName: string; last24h: number; daily: number[] }>();
  for (const r of rows) {
    const h = holders.get(r.holderId) ?? { holderId: r.holderId, holderName: r.holderName, last24h: 0, daily: Array<number>(30).fill(0) };
    if (r.bucket < 0) h.last24h += r.n;
    else if (r.bucket < 30) h.daily[r.bucket]! += r.n;
    holders.set(r.holderId, h);
  }
  return anomalies([...holders.values()], revealConfig().anomaly);
}

export interface RequestRow {
  id: string;
  requesterName: string;
  targetType: string;
  targetKey: string;
  targetLabel: string;
  reasonCategory: string;
  reasonText: string;
  caseRef: string | null;
  status: string;
  createdAt: string;
  expiresAt: string;
  decidedByName: string | null;
}

function toRequestRow(r: Awaited<ReturnType<ReturnType<typeof db>['revealRequest']['findMany']>>[number]): RequestRow {
  return {
    id: r.id,
    requesterName: r.requesterName,
    targetType: r.targetType,
    targetKey: r.targetKey,
    targetLabel: r.targetLabel,
    reasonCategory: r.reasonCategory,
    reasonText: r.reasonText,
    caseRef: r.caseRef,
    status: r.expiresAt.getTime() <= Date.now() && r.status !== 'used' && r.status !== 'denied' ? 'expired' : r.status,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    decidedByName: r.decidedByName,
  };
}

/** Pending, unexpired requests someone other than the viewer filed (approvers: checkusers and stewards). */
export async function pendingApprovals(actor: Actor, now = new Date()): Promise<RequestRow[]> {
  authorize(actor, 'reveal.approve', '*');
  const rows = await db().revealRequest.findMany({
    where: { status: 'pending', expiresAt: { gt: now }, ...(actor.kind === 'user' ? { requesterId: { not: actor.id } } : {}) },
    orderBy: { createdAt: 'asc' },
    take: 200,
  });
  return rows.map(toRequestRow);
}

/** Refused attempts (audit rows 'ip.reveal-refused'), newest first: who, what, which refusal. */
export async function refusedAttempts(actor: Actor, limit = 100) {
  authorize(actor, 'reveal.manage', '*');
  const rows = await db().auditEvent.findMany({ where: { action: 'ip.reveal-refused' }, orderBy: { seq: 'desc' }, take: limit });
  return rows.map((r) => {
    const after = (r.after ?? {}) as { refusal?: string; label?: string | null };
    return { seq: r.seq.toString(), createdAt: r.createdAt.toISOString(), actorName: r.actorName, target: after.label ?? r.targetType ?? '—', refusal: after.refusal ?? r.reason ?? '' };
  });
}

/** Everyone who holds or could hold the reveal, with their agreement and suspension state. */
export async function revealHolders(actor: Actor) {
  authorize(actor, 'reveal.manage', '*');
  const users = await db().user.findMany({
    where: { OR: [{ roles: { some: { role: { in: ['checkuser', 'admin'] } } } }, { id: { in: (await db().revealHolder.findMany({ select: { userId: true } })).map((h) => h.userId) } }] },
    include: { roles: true },
    orderBy: { username: 'asc' },
    take: 500,
  });
  const holders = new Map((await db().revealHolder.findMany()).map((h) => [h.userId, h]));
  return users.map((u) => {
    const h = holders.get(u.id);
    return {
      id: u.id,
      username: u.username,
      roles: u.roles.map((r) => (r.wiki === '*' ? r.role : `${r.role}@${r.wiki}`)),
      checkuser: u.roles.some((r) => r.role === 'checkuser'),
      admin: u.roles.some((r) => r.role === 'admin'),
      grantWiki: h?.grantWiki ?? null,
      agreement: h?.agreementVersion ? { version: h.agreementVersion, signedOn: h.agreementSignedOn?.toISOString().slice(0, 10) ?? '' } : null,
      acknowledged: !!h?.agreementVersion && h.acknowledgedVersion === h.agreementVersion,
      suspended: h?.suspended ?? false,
    };
  });
}

/** The holder's own view: status, recent reveals and requests, and (approvers) requests waiting for them. */
export async function myRevealStatus(actor: Actor) {
  if (actor.kind !== 'user') return null;
  const holder = await db().revealHolder.findUnique({ where: { userId: actor.id } });
  const [reveals, requests] = await Promise.all([
    db().reveal.findMany({ where: { holderId: actor.id }, orderBy: { createdAt: 'desc' }, take: 20 }),
    db().revealRequest.findMany({ where: { requesterId: actor.id }, orderBy: { createdAt: 'desc' }, take: 20 }),
  ]);
  return {
    eligible: mayOfferReveal(actor, holder),
    grantWiki: holder?.grantWiki ?? null,
    agreement: holder?.agreementVersion ? { version: holder.agreementVersion, signedOn: holder.agreementSignedOn?.toISOString().slice(0, 10) ?? '' } : null,
    acknowledgedAt: holder?.agreementVersion && holder.acknowledgedVersion === holder.agreementVersion ? (holder.acknowledgedAt?.toISOString() ?? null) : null,
    suspended: holder?.suspended ?? false,
    reveals: reveals.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), targetType: r.targetType, targetLabel: r.targetLabel, reasonCategory: r.reasonCategory, ipCount: r.ipCount })),
    requests: requests.map(toRequestRow),
    approvals: canOnAnyWiki(actor, 'reveal.approve') ? await pendingApprovals(actor) : [],
  };
}

/** For the actor page: whether to offer the Reveal IP control, with the configured categories and time. */
export async function revealOffer(actor: Actor) {
  if (actor.kind !== 'user' || !(canOnAnyWiki(actor, 'ip.reveal') || canOnAnyWiki(actor, 'ip.reveal.grantee'))) return null;
  const holder = await db().revealHolder.findUnique({ where: { userId: actor.id }, select: { grantWiki: true, suspended: true } });
  if (!mayOfferReveal(actor, holder)) return null;
  const c = revealConfig();
  return { categories: c.categories, displaySeconds: c.displaySeconds };
}
