import { ForbiddenError } from '../errors';

/**
 * Roles and permissions as data, checked in one place (`can` / `authorize`) by pages, route handlers,
 * server actions and services alike. A role is held globally (wiki "*") or on one wiki ("enwiki");
 * stewards are always global. The UI only hides what this module would refuse anyway.
 */
export const ROLES = ['patroller', 'admin', 'checkuser', 'steward'] as const;
export type RoleName = (typeof ROLES)[number];

/** "You may only act on someone whose role you outrank or equal." */
export const ROLE_RANK: Record<RoleName, number> = { patroller: 1, admin: 2, checkuser: 3, steward: 4 };

/** Roles that can only be held globally. */
export const GLOBAL_ONLY_ROLES: readonly RoleName[] = ['steward'];

export const GLOBAL = '*';

/** Roles that must sign in with a second factor (TOTP), enrolled before anything else. */
export const TOTP_REQUIRED_ROLES: readonly RoleName[] = ['checkuser', 'steward'];

const ALL: readonly RoleName[] = ROLES;
const BLOCKERS: readonly RoleName[] = ['admin', 'checkuser', 'steward'];

/** permission → roles that hold it. Later steps add their verbs here. */
export const PERMISSIONS = {
  'queue.view': ALL,
  'edit.review': ALL,
  /** add or remove a trusted editor on a wiki (shared by the wiki's patrollers) */
  'whitelist.manage': ALL,
  'block.view': ALL,
  /** exact actor counts on range pages; everyone else sees buckets (0 / 1–2 / 3–5 / 6–10 / 11+) */
  'range.exactCounts': BLOCKERS,
  'block.manage': BLOCKERS,
  /** blocks on every wiki at once (scope "*") */
  'block.global': ['steward'],
  'ip.reveal': ['checkuser'],
  /** roles that may hold the reveal by a steward's individual grant (lib/reveal/eligibility.ts) */
  'ip.reveal.grantee': ['admin'],
  /** approve or deny someone else's range / bulk reveal request (never one's own) */
  'reveal.approve': ['checkuser', 'steward'],
  /** oversee reveals: agreements, grants, suspension, the trail, reviews, export */
  'reveal.manage': ['steward'],
  'audit.view': ['steward'],
  'audit.verify': ['steward'],
  'user.view': ['steward'],
  'user.manage': ['steward'],
  'role.manage': ['steward'],
  /** key rotation and vault retention: operator tools and scheduled jobs only (system actor) */
  'keys.manage': [],
  /** enrolling someone else's TOTP (users:totp --enrol): operator tools only (system actor) */
  'totp.provision': [],
  /** roles read from the user's MediaWiki groups (OAuth accounts): the group sync only (system actor) */
  'role.sync': [],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

export interface RoleHolding {
  role: RoleName;
  wiki: string;
}

export type Actor =
  | {
      kind: 'user';
      id: string;
      username: string;
      roles: RoleHolding[];
      /** when this session last verified a TOTP code (ms since the epoch); see lib/auth/step-up.ts */
      stepUpAt?: number | null;
    }
  /** a local operator tool (users:create, first-start seeding): whoever runs it can read the database anyway */
  | { kind: 'system'; name: string };

function holds(h: RoleHolding, wiki: string | null): boolean {
  // a wiki-scoped question is answered by a role on that wiki or a global one;
  // a global question (wiki null or "*") only by a global role
  return h.wiki === GLOBAL || (wiki !== null && wiki !== GLOBAL && h.wiki === wiki);
}

export function can(actor: Actor | null, permission: Permission, wiki: string | null): boolean {
  if (!actor) return false;
  if (actor.kind === 'system') return true;
  const roles: readonly RoleName[] = PERMISSIONS[permission];
  return actor.roles.some((h) => roles.includes(h.role) && holds(h, wiki));
}

/** Whether the actor holds the permission on at least one wiki (for views that span wikis). */
export function canOnAnyWiki(actor: Actor | null, permission: Permission): boolean {
  if (!actor) return false;
  if (actor.kind === 'system') return true;
  const roles: readonly RoleName[] = PERMISSIONS[permission];
  return actor.roles.some((h) => roles.includes(h.role));
}

/** Throws ForbiddenError (403) unless the actor holds the permission for that wiki. */
export function authorize(actor: Actor, permission: Permission, wiki: string | null): void {
  if (!can(actor, permission, wiki)) throw new ForbiddenError();
}

/**
 * Self-service on one's own account (TOTP enrolment): any signed-in user, whatever their roles; the verb
 * acts on `actor.id` only. Operator tools use their own permissions instead.
 */
export function authorizeOwnAccount(actor: Actor): asserts actor is Extract<Actor, { kind: 'user' }> {
  if (actor.kind !== 'user') throw new ForbiddenError();
}

/** Wikis on which the actor holds the permission: "*" for all, or a list (possibly empty). */
export function wikisWith(actor: Actor, permission: Permission): typeof GLOBAL | string[] {
  if (actor.kind === 'system') return GLOBAL;
  const roles: readonly RoleName[] = PERMISSIONS[permission];
  const held = actor.roles.filter((h) => roles.includes(h.role));
  if (held.some((h) => h.wiki === GLOBAL)) return GLOBAL;
  return [...new Set(held.map((h) => h.wiki))];
}

/** Highest rank the actor holds for that wiki (0 when none). */
export function rankOn(actor: Actor, wiki: string | null): number {
  if (actor.kind === 'system') return Number.POSITIVE_INFINITY;
  return Math.max(0, ...actor.roles.filter((h) => holds(h, wiki)).map((h) => ROLE_RANK[h.role]));
}

/** Rank of a set of holdings anywhere (for "does the target outrank me"). */
export function highestRank(roles: RoleHolding[]): number {
  return Math.max(0, ...roles.map((h) => ROLE_RANK[h.role]));
}

/** Where each role lands after sign-in. */
export const LANDING: Record<RoleName, string> = {
  steward: '/steward',
  checkuser: '/checkuser',
  admin: '/blocks',
  patroller: '/queue',
};

export function landingPath(actor: Actor): string {
  if (actor.kind === 'system') return '/';
  const top = [...actor.roles].sort((a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role])[0];
  return top ? LANDING[top.role] : '/no-access';
}
