import type { Actor, RoleHolding, RoleName } from '../auth/permissions';
import { db, type Tx } from '../db/client';
import { Prisma } from '../db/generated/client';
import { executeVerb, type ServiceContext } from './verb';

/** The system actor that records role changes read from the wikis. */
export const WIKI_SYNC_ACTOR: Actor = { kind: 'system', name: 'wiki-groups' };

export interface WikiAccountInput {
  /** the OAuth host (its base URL) and the user's stable id there (the profile's `sub`) */
  issuer: string;
  sub: string;
  /** the MediaWiki user name now */
  wikiUsername: string;
  /** what the wiki groups give, and the scopes that were read definitively (deriveRoles) */
  roles: RoleHolding[];
  known: string[];
  /** create the account when there is none and the groups give a role (sign-in; never the periodic refresh) */
  create: boolean;
  now?: Date;
}

export interface WikiAccount {
  id: string;
  username: string;
  sessionVersion: number;
  disabled: boolean;
  /** every role the account holds now, granted or from the wiki */
  roles: RoleHolding[];
  created: boolean;
  added: RoleHolding[];
  removed: RoleHolding[];
}

/** Thrown inside the transaction when nothing changes: rolls back, so no audit row is written. */
class NoChange extends Error {}

const key = (h: RoleHolding) => `${h.role}@${h.wiki}`;
const holding = (r: { role: string; wiki: string }): RoleHolding => ({ role: r.role as RoleName, wiki: r.wiki });

/** maskpatrol user name of a wiki account: "@" never occurs in local user names (nor in MediaWiki's). */
export function wikiAccountName(wikiUsername: string): string {
  return `${wikiUsername}@wiki`;
}

async function lockAccount(tx: Tx, issuer: string, sub: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM user_account WHERE "oauthIssuer" = ${issuer} AND "oauthSub" = ${sub} FOR UPDATE`;
  if (!rows[0]) return null;
  return tx.user.findUniqueOrThrow({ where: { id: rows[0].id }, include: { roles: true } });
}

/** The account's user name for a (possibly renamed) wiki user; another account holding it → name#sub. */
async function freeName(tx: Tx, wanted: string, sub: string, self: { id: string; username: string } | null): Promise<string> {
  if (self && (self.username === wanted || self.username === `${wanted}#${sub}`)) return self.username;
  const holder = await tx.user.findUnique({ where: { username: wanted }, select: { id: true } });
  return !holder ? wanted : `${wanted}#${sub}`;
}

/**
 * Keep an OAuth account's wiki-derived roles in step with its MediaWiki groups, through the audited service
 * layer (system actor "wiki-groups"): the first sign-in with a mapped group creates the account (no
 * password; audited `user.create`), later readings add and remove roles whose source is the wiki
 * (audited `role.sync`, one row with before/after). Roles a steward granted are never touched, and scopes
 * that could not be read (a wiki was down) keep their roles. Losing a role ends the account's sessions,
 * as a steward's revocation does. Serialised per account (row lock), idempotent: an unchanged reading
 * writes no audit row, only the time of the check.
 */
export async function syncWikiAccount(input: WikiAccountInput, ctx: Partial<ServiceContext> = {}): Promise<WikiAccount | null> {
  const prisma = ctx.db ?? db();
  const now = input.now ?? new Date();
  const sctx: ServiceContext = { actor: WIKI_SYNC_ACTOR, request: ctx.request ?? { via: 'system' }, db: prisma };
  const desired = new Map(input.roles.map((h) => [key(h), h]));
  const known = new Set(input.known);
  const display = wikiAccountName(input.wikiUsername);
  const where = { oauthIssuer_oauthSub: { oauthIssuer: input.issuer, oauthSub: input.sub } };
  if (!(await prisma.user.findUnique({ where, select: { id: true } }))) {
    if (!input.create || desired.size === 0) return null;
    try {
      return await executeVerb(sctx, {
        action: 'user.create',
        permission: 'role.sync',
        wiki: '*',
        async run(tx) {
          const roles = [...desired.values()];
          const created = await tx.user.create({
            data: {
              username: await freeName(tx, display, input.sub, null),
              oauthIssuer: input.issuer,
              oauthSub: input.sub,
              wikiUsername: input.wikiUsername,
              groupsCheckedAt: now,
              roles: { create: roles.map((h) => ({ ...h, source: 'wiki' as const })) },
            },
          });
          const result: WikiAccount = { id: created.id, username: created.username, sessionVersion: created.sessionVersion, disabled: false, roles, created: true, added: roles, removed: [] };
          return { result, audit: { targetType: 'user', targetId: created.id, wiki: '*', reason: 'first sign-in with a wiki account', after: { username: created.username, roles, source: 'wiki' } } };
        },
      });
    } catch (err) {
      // a concurrent first sign-in created it: go on as an update
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
    }
  }
  try {
    return await executeVerb(sctx, {
      action: 'role.sync',
      permission: 'role.sync',
      wiki: '*',
      async run(tx) {
        const user = await lockAccount(tx, input.issuer, input.sub);
        if (!user) throw new NoChange();
        const before = user.roles.map(holding);
        const held = new Set(before.map(key));
        const added = [...desired.values()].filter((h) => !held.has(key(h)));
        const removedRows = user.roles.filter((r) => r.source === 'wiki' && known.has(r.wiki) && !desired.has(key(holding(r))));
        if (added.length === 0 && removedRows.length === 0) throw new NoChange();
        if (added.length) await tx.roleAssignment.createMany({ data: added.map((h) => ({ userId: user.id, ...h, source: 'wiki' as const })), skipDuplicates: true });
        if (removedRows.length) await tx.roleAssignment.deleteMany({ where: { id: { in: removedRows.map((r) => r.id) } } });
        const removed = removedRows.map(holding);
        const updated = await tx.user.update({
          where: { id: user.id },
          data: {
            wikiUsername: input.wikiUsername,
            username: await freeName(tx, display, input.sub, user),
            groupsCheckedAt: now,
            // losing a role ends the sessions, as a steward's revocation does
            ...(removed.length ? { sessionVersion: { increment: 1 } } : {}),
          },
        });
        const gone = new Set(removed.map(key));
        const roles = [...before.filter((h) => !gone.has(key(h))), ...added];
        const result: WikiAccount = { id: user.id, username: updated.username, sessionVersion: updated.sessionVersion, disabled: user.disabled, roles, created: false, added, removed };
        return { result, audit: { targetType: 'user', targetId: user.id, wiki: '*', reason: 'MediaWiki groups changed', before: { roles: before }, after: { roles, added, removed } } };
      },
    });
  } catch (err) {
    if (!(err instanceof NoChange)) throw err;
  }
  // nothing to change: note the check (and a rename) outside the audited path; no account → null
  const user = await prisma.user.findUnique({ where, include: { roles: true } });
  if (!user) return null;
  let username = user.username;
  try {
    username = await prisma.$transaction(async (tx) => {
      const name = await freeName(tx, display, input.sub, user);
      await tx.user.update({ where: { id: user.id }, data: { groupsCheckedAt: now, wikiUsername: input.wikiUsername, username: name } });
      return name;
    });
  } catch (err) {
    // a concurrent rename took the name: keep the old one until the next check
    if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
  }
  return { id: user.id, username, sessionVersion: user.sessionVersion, disabled: user.disabled, roles: user.roles.map(holding), created: false, added: [], removed: [] };
}
