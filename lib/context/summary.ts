import { Prisma } from '../db/generated/client';
import { objects } from '../entities/common';
import { NET_TYPES, type NetType } from './types';

/**
 * The IP context of an entity's edits as its page shows it: the networks (AS, organisation, registration
 * country, network type) with their edit counts, the distinct countries, and how many edits came from
 * addresses on the operator's Tor/VPN lists. Built from the stored edit columns only; never finer than a
 * country, never a prefix. Every view aggregates over its bounded window of newest edits (lib/entities).
 */
export interface NetSummary {
  /** edits in the window that carry context (0: none looked up, e.g. all edits by registered editors) */
  withContext: number;
  networks: { asn: number | null; org: string | null; country: string | null; type: NetType; edits: number }[];
  /** distinct ASNs among those edits (edits whose block had no single AS are not counted) */
  networkCount: number;
  countries: string[];
  types: Partial<Record<NetType, number>>;
  anon: { tor: number; vpn: number };
}

/** Most networks listed on a page; counts cover all of them. */
export const NETWORKS_SHOWN = 20;

/** The context columns a view's window CTE must select for NET_AGGREGATES. */
export const NET_COLUMNS = Prisma.sql`"netAsn", "netOrg", "netCountry", "netType", "netAnon"`;

/** Select-list items over a CTE named `e` that holds NET_COLUMNS; read back with toNetSummary. */
export const NET_AGGREGATES = Prisma.sql`
  (SELECT json_build_object(
     'with', count(*) FILTER (WHERE "netType" IS NOT NULL),
     'asns', count(DISTINCT "netAsn"),
     'countries', coalesce(array_agg(DISTINCT "netCountry") FILTER (WHERE "netCountry" IS NOT NULL), '{}'),
     'tor', count(*) FILTER (WHERE "netAnon" = 'tor'),
     'vpn', count(*) FILTER (WHERE "netAnon" = 'vpn'),
     'types', (SELECT coalesce(json_object_agg(t, n), '{}') FROM (SELECT "netType" AS t, count(*)::int AS n FROM e WHERE "netType" IS NOT NULL GROUP BY 1) ty),
     'networks', (SELECT coalesce(json_agg(x ORDER BY x.edits DESC, x.asn), '[]') FROM (
        SELECT "netAsn" AS asn, "netOrg" AS org, "netCountry" AS country, "netType" AS type, count(*)::int AS edits
          FROM e WHERE "netType" IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1 LIMIT ${NETWORKS_SHOWN}) x))
   FROM e) AS net`;

const isType = (t: unknown): t is NetType => typeof t === 'string' && (NET_TYPES as readonly string[]).includes(t);

export function toNetSummary(v: unknown): NetSummary {
  const o = (typeof v === 'string' ? JSON.parse(v) : (v ?? {})) as Record<string, unknown>;
  const types: Partial<Record<NetType, number>> = {};
  if (o.types && typeof o.types === 'object')
    for (const [k, n] of Object.entries(o.types as Record<string, unknown>)) if (isType(k)) types[k] = Number(n);
  return {
    withContext: Number(o.with ?? 0),
    networkCount: Number(o.asns ?? 0),
    countries: Array.isArray(o.countries) ? o.countries.filter((c): c is string => typeof c === 'string').sort() : [],
    types,
    anon: { tor: Number(o.tor ?? 0), vpn: Number(o.vpn ?? 0) },
    networks: objects(o.networks).map((n) => ({
      asn: n.asn === null || n.asn === undefined ? null : Number(n.asn),
      org: typeof n.org === 'string' ? n.org : null,
      country: typeof n.country === 'string' ? n.country : null,
      type: isType(n.type) ? n.type : 'unknown',
      edits: Number(n.edits ?? 0),
    })),
  };
}
