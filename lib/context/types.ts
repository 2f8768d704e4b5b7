/**
 * IP context (step 9): what the masking boundary derives from the raw address before it is sealed in the
 * vault, and stores with the pseudonyms. Nothing finer than a country: no city, no coordinates, no route prefix.
 */
export const NET_TYPES = ['hosting', 'mobile', 'residential', 'unknown'] as const;
export type NetType = (typeof NET_TYPES)[number];

/** An operator-supplied list said the address is a Tor exit or a VPN endpoint (the list stays on the server). */
export const ANON_KINDS = ['tor', 'vpn'] as const;
export type AnonKind = (typeof ANON_KINDS)[number];

export interface NetContext {
  /** the autonomous system announcing the whole /24 (IPv4) or /64 (IPv6); null when none or several do */
  asn: number | null;
  /** the AS's organisation name as the data names it */
  org: string | null;
  /** ISO 3166-1 alpha-2 country the block is registered to (RIR data), null when unknown or mixed */
  country: string | null;
  type: NetType;
  anon: AnonKind | null;
}

/** Something that answers the context of an address (bytes in network order), or null when it knows nothing. */
export interface IpContextLookup {
  lookup(family: 4 | 6, bytes: Uint8Array): NetContext | null;
}
