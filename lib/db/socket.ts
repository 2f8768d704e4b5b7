import path from 'node:path';
import type pg from 'pg';

/**
 * The embedded server shares its PGlite over a Unix socket at <dataDir>/run/.s.PGSQL.5432 (the name
 * libpq and node-postgres expect), in a 0700 directory: only the owner's user can connect.
 */
export const SOCKET_PORT = 5432;

export function socketDirFor(dataDir: string): string {
  return path.join(dataDir, 'run');
}

export function socketPathFor(dataDir: string): string {
  return path.join(socketDirFor(dataDir), `.s.PGSQL.${SOCKET_PORT}`);
}

export function socketPoolConfig(socketDir: string, max: number): pg.PoolConfig {
  return { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres', max };
}
