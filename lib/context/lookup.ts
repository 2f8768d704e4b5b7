import fs from 'node:fs';
import path from 'node:path';
import { readAddressList, type AddressList } from './anon';
import { NetTyper } from './nettype';
import {
  blockValue4,
  blockValue6,
  decimal,
  fieldText,
  loadV4,
  loadV6,
  packCountry,
  unpackCountry,
  ContextDataError,
  type RowValue,
  type V4Table,
  type V6Table,
} from './tables';
import type { AnonKind, IpContextLookup, NetContext, NetType } from './types';

/**
 * The offline IP-context database: ip-location-db's `asn` (RouteViews, RIR and DB-IP data, CC BY 4.0) and
 * `asn-country` (RIR data via the NRO, CC BY 4.0) CSV files, loaded once into typed arrays.
 *
 * Context is a function of the /24 (IPv4) or /64 (IPv6), never of the address: lookups use the block, and a
 * block that the data splits between networks (or countries) gets no ASN (or no country). So an actor's context
 * is exactly its /24's (or /64's), and a narrower look never tells more than the stored range does. Answers are
 * cached per block (bounded). The only per-address signal is the optional Tor/VPN flag from operator lists.
 */
export const DATA_FILES = {
  asn4: 'asn-ipv4-num.csv',
  asn6: 'asn-ipv6.csv',
  country4: 'asn-country-ipv4-num.csv',
  country6: 'asn-country-ipv6.csv',
} as const;

export interface ContextSources {
  /** directory holding the `asn` CSV files (default: node_modules/@ip-location-db/asn) */
  asnDir: string;
  /** directory holding the `asn-country` CSV files (default: node_modules/@ip-location-db/asn-country) */
  countryDir: string;
  torList?: string;
  vpnList?: string;
  asnTypes?: Map<number, NetType>;
}

export function defaultSources(root = process.cwd()): Pick<ContextSources, 'asnDir' | 'countryDir'> {
  const base = path.join(root, 'node_modules', '@ip-location-db');
  return { asnDir: path.join(base, 'asn'), countryDir: path.join(base, 'asn-country') };
}

/** The data package's version (its package.json), or null for an operator-supplied directory without one. */
export function dataVersion(dir: string): string | null {
  try {
    const v = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

const CACHE_MAX = 50_000;

export class IpContextDb implements IpContextLookup {
  private readonly asn4: V4Table;
  private readonly asn6: V6Table;
  private readonly cc4: V4Table;
  private readonly cc6: V6Table;
  private readonly orgs = new Map<number, string>();
  private readonly typer: NetTyper;
  private readonly tor: AddressList | null;
  private readonly vpn: AddressList | null;
  private cache4 = new Map<number, NetContext>();
  private cache6 = new Map<string, NetContext>();
  readonly version: string | null;

  constructor(src: ContextSources) {
    const asnValue: RowValue = (buf, from, to) => {
      let c = buf.indexOf(44, from);
      if (c < 0 || c > to) c = to;
      const asn = decimal(buf, from, c);
      if (!(asn >= 0 && asn <= 0xffffffff)) throw new ContextDataError('an ASN field is not a number');
      if (asn > 0 && c < to && !this.orgs.has(asn)) this.orgs.set(asn, fieldText(buf, c + 1, to));
      return asn;
    };
    const ccValue: RowValue = (buf, from, to) => (to - from === 2 ? packCountry(buf.toString('latin1', from, to)) : 0);
    this.asn4 = loadV4(path.join(src.asnDir, DATA_FILES.asn4), asnValue);
    this.asn6 = loadV6(path.join(src.asnDir, DATA_FILES.asn6), asnValue);
    this.cc4 = loadV4(path.join(src.countryDir, DATA_FILES.country4), ccValue);
    this.cc6 = loadV6(path.join(src.countryDir, DATA_FILES.country6), ccValue);
    this.typer = new NetTyper(src.asnTypes);
    this.tor = src.torList ? readAddressList(src.torList, 'MASKPATROL_IP_CONTEXT_TOR_LIST') : null;
    this.vpn = src.vpnList ? readAddressList(src.vpnList, 'MASKPATROL_IP_CONTEXT_VPN_LIST') : null;
    this.version = dataVersion(src.asnDir);
  }

  /** rows held, per table (for the refresh command's report) */
  get rows(): Record<keyof typeof DATA_FILES, number> {
    return { asn4: this.asn4.start.length, asn6: this.asn6.startHi.length, country4: this.cc4.start.length, country6: this.cc6.startHi.length };
  }

  /** The context of the IPv4 /24 (network number, i.e. the address >>> 8). */
  block4(net24: number): NetContext {
    let c = this.cache4.get(net24);
    if (!c) {
      const s = (net24 << 8) >>> 0;
      const e = (s + 255) >>> 0;
      c = this.make(blockValue4(this.asn4, s, e), blockValue4(this.cc4, s, e));
      if (this.cache4.size >= CACHE_MAX) this.cache4 = new Map();
      this.cache4.set(net24, c);
    }
    return c;
  }

  /** The context of the IPv6 /64 given as its upper and lower 32 bits. */
  block6(hi: number, lo: number): NetContext {
    const k = `${hi}:${lo}`;
    let c = this.cache6.get(k);
    if (!c) {
      c = this.make(blockValue6(this.asn6, hi, lo), blockValue6(this.cc6, hi, lo));
      if (this.cache6.size >= CACHE_MAX) this.cache6 = new Map();
      this.cache6.set(k, c);
    }
    return c;
  }

  private make(asnValue: number, cc: number): NetContext {
    const asn = asnValue > 0 ? asnValue : null;
    const org = asn === null ? null : (this.orgs.get(asn) ?? null);
    return Object.freeze({ asn, org, country: unpackCountry(cc), type: this.typer.typeOf(asn, org), anon: null });
  }

  lookup(family: 4 | 6, b: Uint8Array): NetContext | null {
    const c =
      family === 4
        ? this.block4(((b[0]! << 16) | (b[1]! << 8) | b[2]!) >>> 0)
        : this.block6((((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0), (((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0));
    const anon = this.anonOf(family, b);
    return anon ? { ...c, anon } : c;
  }

  private anonOf(family: 4 | 6, b: Uint8Array): AnonKind | null {
    if (this.tor?.has(family, b)) return 'tor';
    if (this.vpn?.has(family, b)) return 'vpn';
    return null;
  }
}

