import fs from 'node:fs';
import { ContextDataError } from './tables';
import { NET_TYPES, type NetType } from './types';

/**
 * Network type of an AS, in this order:
 * 1. an operator-supplied file (MASKPATROL_IP_CONTEXT_ASN_TYPES: "asn,type" per line) — the operator knows best;
 * 2. HOSTING_ASNS below: well-known cloud, hosting and CDN networks. Each entry carries the organisation name the
 *    shipped data gives that AS (tests/unit/context-data.test.ts checks every entry against the shipped data, so
 *    a renumbered or misremembered AS fails the test rather than mislabelling edits);
 * 3. words in the organisation name (below). This is a heuristic and says so on the pages: it catches
 *    "… Hosting", "… Cloud", "… Mobile" style names and misses the many operators whose name says neither.
 * Anything else is `unknown`. Residential is claimed only for names that say broadband/cable/DSL/fibre; a
 * "Telecom" can be fixed, mobile or both, so it stays unknown.
 */
export const HOSTING_ASNS: ReadonlyArray<readonly [number, string]> = [
  [16509, 'Amazon'],
  [14618, 'Amazon'],
  [8987, 'Amazon'],
  [396982, 'Google'],
  [15169, 'Google'],
  [8075, 'Microsoft'],
  [13335, 'Cloudflare'],
  [14061, 'DigitalOcean'],
  [393406, 'DigitalOcean'],
  [16276, 'OVH'],
  [24940, 'Hetzner'],
  [63949, 'Akamai'],
  [20940, 'Akamai'],
  [16625, 'Akamai'],
  [20473, 'Constant Company'],
  [45102, 'Alibaba'],
  [37963, 'Alibaba'],
  [132203, 'Tencent'],
  [45090, 'Tencent'],
  [31898, 'Oracle'],
  [51167, 'Contabo'],
  [40021, 'Contabo'],
  [12876, 'Scaleway'],
  [60781, 'LeaseWeb'],
  [28753, 'Leaseweb'],
  [30633, 'Leaseweb'],
  [8560, 'IONOS'],
  [9009, 'M247'],
  [54113, 'Fastly'],
  [60068, 'Datacamp'],
  [36352, 'HostPapa'],
  [46606, 'Unified Layer'],
  [26496, 'GoDaddy'],
  [398101, 'GoDaddy'],
  [19318, 'Interserver'],
  [49981, 'WorldStream'],
  [197540, 'netcup'],
  [8100, 'QuadraNet'],
  [32097, 'WholeSale Internet'],
  [21859, 'Zenlayer'],
  [55286, 'B2 Net Solutions'],
  [62240, 'Clouvider'],
  [9370, 'SAKURA Internet'],
  [53667, 'FranTech'],
  [25820, 'IT7 Networks'],
  [29802, 'HIVELOCITY'],
  [23470, 'ReliableSite'],
  [210644, 'AEZA'],
  [35916, 'MULTACOM'],
  [202425, 'IP Volume'],
  [3223, 'Voxility'],
];

const HOSTING_WORDS = /\b(hosting|webhosting|host|cloud|data ?cent(?:er|re)s?|datacenters?|servers?|vps|colo(?:cation)?|dedicated)\b/i;
const MOBILE_WORDS = /\b(mobile|mobil|movil|móvil|moviles|móviles|wireless|cellular|celular|gsm|lte)\b/i;
const RESIDENTIAL_WORDS = /\b(broadband|cable|dsl|adsl|vdsl|fiber|fibre|ftth|residential)\b/i;

export function typeFromName(org: string | null): NetType {
  if (!org) return 'unknown';
  if (HOSTING_WORDS.test(org)) return 'hosting';
  if (MOBILE_WORDS.test(org)) return 'mobile';
  if (RESIDENTIAL_WORDS.test(org)) return 'residential';
  return 'unknown';
}

/** Read an operator's "asn,type" file (comments with #, blank lines ignored); errors name the line, never a value. */
export function readAsnTypes(file: string): Map<number, NetType> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ContextDataError(`MASKPATROL_IP_CONTEXT_ASN_TYPES: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const out = new Map<number, NetType>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [a, t] = line.split(',').map((s) => s.trim());
    const asn = Number(String(a).replace(/^AS/i, ''));
    if (!Number.isInteger(asn) || asn <= 0 || !(NET_TYPES as readonly string[]).includes(t ?? ''))
      throw new ContextDataError(`MASKPATROL_IP_CONTEXT_ASN_TYPES: line ${i + 1} is not "asn,type" (types: ${NET_TYPES.join(', ')})`);
    out.set(asn, t as NetType);
  });
  return out;
}

export class NetTyper {
  private readonly known = new Map<number, NetType>(HOSTING_ASNS.map(([asn]) => [asn, 'hosting']));
  private readonly memo = new Map<number, NetType>();

  constructor(overrides?: Map<number, NetType>) {
    for (const [asn, t] of overrides ?? []) this.known.set(asn, t);
  }

  typeOf(asn: number | null, org: string | null): NetType {
    if (asn === null) return 'unknown';
    const k = this.known.get(asn);
    if (k) return k;
    let t = this.memo.get(asn);
    if (!t) {
      t = typeFromName(org);
      this.memo.set(asn, t);
    }
    return t;
  }
}
