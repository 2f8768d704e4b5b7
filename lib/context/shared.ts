import path from 'node:path';
import { loadConfig, type AppConfig } from '../config';
import { log } from '../log';
import { IpContextDb, defaultSources, type ContextSources } from './lookup';
import { readAsnTypes } from './nettype';

/**
 * The process's one IP-context database (about 15 MB of typed arrays and organisation names, loaded in about
 * 1.5 s), shared by the feeds and the signed /api/ingest endpoint; held on globalThis because Next.js bundles
 * route handlers apart from the server's own modules. Loaded on first use; a restart picks up refreshed data.
 * When the data cannot be loaded, ingest goes on without context (edits are stored with none) and the error
 * is logged once — context is an aid to patrollers, not a reason to drop edits.
 */
const g = globalThis as unknown as { __maskpatrolIpContext?: { sig: string; db: IpContextDb | null } };

export function contextSources(c: AppConfig = loadConfig()): ContextSources {
  const dir = c.MASKPATROL_IP_CONTEXT_DIR ? path.resolve(c.MASKPATROL_IP_CONTEXT_DIR) : null;
  return {
    ...(dir ? { asnDir: dir, countryDir: dir } : defaultSources()),
    torList: c.MASKPATROL_IP_CONTEXT_TOR_LIST ? path.resolve(c.MASKPATROL_IP_CONTEXT_TOR_LIST) : undefined,
    vpnList: c.MASKPATROL_IP_CONTEXT_VPN_LIST ? path.resolve(c.MASKPATROL_IP_CONTEXT_VPN_LIST) : undefined,
    asnTypes: c.MASKPATROL_IP_CONTEXT_ASN_TYPES ? readAsnTypes(path.resolve(c.MASKPATROL_IP_CONTEXT_ASN_TYPES)) : undefined,
  };
}

/** The shared database, or null when context is switched off (MASKPATROL_IP_CONTEXT=false) or failed to load. */
export function sharedIpContext(): IpContextDb | null {
  const c = loadConfig();
  if (!c.MASKPATROL_IP_CONTEXT) return null;
  const sig = [c.MASKPATROL_IP_CONTEXT_DIR, c.MASKPATROL_IP_CONTEXT_TOR_LIST, c.MASKPATROL_IP_CONTEXT_VPN_LIST, c.MASKPATROL_IP_CONTEXT_ASN_TYPES].join('\n');
  if (g.__maskpatrolIpContext?.sig === sig) return g.__maskpatrolIpContext.db;
  let loaded: IpContextDb | null = null;
  try {
    const t0 = Date.now();
    loaded = new IpContextDb(contextSources(c));
    log().info({ version: loaded.version, rows: loaded.rows, ms: Date.now() - t0 }, 'IP context data loaded');
  } catch (err) {
    // the message names a file and a line, never an address
    log().error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'IP context data could not be loaded; edits are stored without context (npm run context:refresh)');
  }
  g.__maskpatrolIpContext = { sig, db: loaded };
  return loaded;
}

/** The loaded data's version, for the attribution note (null when none is loaded in this process). */
export function loadedContextVersion(): string | null {
  return g.__maskpatrolIpContext?.db?.version ?? null;
}
