import { defaultSources, IpContextDb } from '../../lib/context/lookup';
import { ROOT } from './ingest-root';

/**
 * The shipped IP-context database, loaded once per test file (about 1.5 s): maskers in the ingest and leak
 * tests run with context on, as the server's do.
 */
let loaded: IpContextDb | null = null;

export function testContext(): IpContextDb {
  loaded ??= new IpContextDb(defaultSources(ROOT));
  return loaded;
}

/**
 * Real public addresses whose /24 or /64 the shipped data places in one network, so a context lookup hits.
 * Used as leak canaries: the derived context is stored, the address must not be.
 */
export const PUBLIC_CANARIES = {
  v4: '81.2.69.160',
  v4Context: { asn: 20712, org: 'Andrews & Arnold Ltd', country: 'GB' },
  v6: '2a00:1450:4001:82a::200e',
  v6Context: { asn: 15169, org: 'Google LLC', country: 'IE' },
} as const;
