import path from 'node:path';
import { z } from 'zod';
import { OAuthEnvSchema, oauthConfig } from './auth/oauth-config';

/**
 * Every environment variable maskpatrol reads, in one place (README "Configuration" mirrors this).
 * Read lazily (a function, not a module constant) so tools and tests can set the environment first.
 */
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.string().url().optional(),
  MASKPATROL_DATA_DIR: z.string().min(1).default('./data'),
  MASKPATROL_KEYS_DIR: z.string().min(1).default('./keys'),
  /** pseudonym key epoch length: pseudonyms are stable within an epoch, unlinkable across epochs */
  MASKPATROL_KEY_EPOCH_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** how long a retired epoch key is kept before it is destroyed */
  MASKPATROL_KEY_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** vault retention: day keys older than this are destroyed (crypto-shredding) */
  MASKPATROL_VAULT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** widest range an admin may act on (MediaWiki's $wgBlockCIDRLimit): IPv4 /16..32, IPv6 /19..64 */
  MASKPATROL_BLOCK_CIDR_LIMIT_V4: z.coerce.number().int().min(8).max(32).default(16),
  MASKPATROL_BLOCK_CIDR_LIMIT_V6: z.coerce.number().int().min(16).max(64).default(19),
  MASKPATROL_DEMO_ACCOUNTS: bool.optional(),
  MASKPATROL_MIGRATE_ON_START: bool.default(true),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters').optional(),
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** shared secret of the signed POST /api/ingest endpoint (else <keys>/ingest-secret; neither: disabled) */
  MASKPATROL_INGEST_SECRET: z.string().min(32, 'MASKPATROL_INGEST_SECRET must be at least 32 characters').optional(),
  /** audit checkpoints (lib/audit/checkpoint.ts): every N rows, every M minutes (0: off), after these actions */
  MASKPATROL_AUDIT_CHECKPOINT_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(100),
  MASKPATROL_AUDIT_CHECKPOINT_MINUTES: z.coerce.number().min(0).max(24 * 60).default(10),
  MASKPATROL_AUDIT_CHECKPOINT_ACTIONS: z
    .string()
    .regex(/^\s*[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*(\s*,\s*[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*)*\s*$/, 'a comma-separated list of entity.verb actions')
    .default('ip.reveal'),
  /** the append-only checkpoint file (default <keys>/audit-checkpoints.jsonl) and an optional HTTP witness */
  MASKPATROL_AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  MASKPATROL_AUDIT_WITNESS_URL: z.string().url().optional(),
  /** IP reveal (step 8, lib/reveal/config.ts): per-holder limits, display time, reason categories, anomaly flags */
  MASKPATROL_REVEAL_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(10),
  MASKPATROL_REVEAL_PER_DAY: z.coerce.number().int().min(1).max(10000).default(30),
  MASKPATROL_REVEAL_DISPLAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  MASKPATROL_REVEAL_APPROVAL_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  /** comma-separated reason categories a holder picks from */
  MASKPATROL_REVEAL_REASON_CATEGORIES: z.string().min(1).optional(),
  MASKPATROL_REVEAL_ANOMALY_MEDIAN_FACTOR: z.coerce.number().positive().max(100).default(3),
  MASKPATROL_REVEAL_ANOMALY_PEER_PERCENTILE: z.coerce.number().min(50).max(100).default(95),
  /** IP context (step 9, lib/context): ASN, organisation, country and network type derived at ingest */
  MASKPATROL_IP_CONTEXT: bool.default(true),
  /** directory with the ip-location-db CSV files (asn-ipv4-num.csv, asn-ipv6.csv, asn-country-ipv4-num.csv, asn-country-ipv6.csv); default: the npm packages */
  MASKPATROL_IP_CONTEXT_DIR: z.string().min(1).optional(),
  /** operator lists, one IP or CIDR per line: Tor exits, VPN endpoints (server-side only; pages get a flag) */
  MASKPATROL_IP_CONTEXT_TOR_LIST: z.string().min(1).optional(),
  MASKPATROL_IP_CONTEXT_VPN_LIST: z.string().min(1).optional(),
  /** operator network types, "asn,type" per line (hosting, mobile, residential, unknown), over the shipped list */
  MASKPATROL_IP_CONTEXT_ASN_TYPES: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).extend(OAuthEnvSchema.shape);

export type AppConfig = z.infer<typeof EnvSchema> & {
  dataDir: string;
  keysDir: string;
  embedded: boolean;
  demoAccounts: boolean;
  audit: { checkpointRows: number; checkpointMinutes: number; checkpointActions: string[]; checkpointFile: string; witnessUrl?: string };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  try {
    oauthConfig(env); // the group map and wiki list are checked at start, not at the first sign-in
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${(err as Error).message}`);
  }
  const embedded = !c.DATABASE_URL;
  return {
    ...c,
    dataDir: path.resolve(c.MASKPATROL_DATA_DIR),
    keysDir: path.resolve(c.MASKPATROL_KEYS_DIR),
    embedded,
    // demo accounts only on the embedded default unless asked for explicitly
    demoAccounts: c.MASKPATROL_DEMO_ACCOUNTS ?? embedded,
    audit: {
      checkpointRows: c.MASKPATROL_AUDIT_CHECKPOINT_ROWS,
      checkpointMinutes: c.MASKPATROL_AUDIT_CHECKPOINT_MINUTES,
      // a reveal is always followed by a checkpoint; the list adds actions to it
      checkpointActions: [...new Set(['ip.reveal', ...c.MASKPATROL_AUDIT_CHECKPOINT_ACTIONS.split(',').map((a) => a.trim())])],
      checkpointFile: path.resolve(c.MASKPATROL_AUDIT_CHECKPOINT_FILE ?? path.join(c.MASKPATROL_KEYS_DIR, 'audit-checkpoints.jsonl')),
      witnessUrl: c.MASKPATROL_AUDIT_WITNESS_URL,
    },
  };
}

function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
