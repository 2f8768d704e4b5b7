import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded, shareOverSocket, type EmbeddedDb } from '@/lib/db/embedded';
import { socketPoolConfig } from '@/lib/db/socket';

/**
 * The embedded database shared over its Unix socket by several clients at once (the server's ingester,
 * its web tier, a CLI tool): parameterised queries (extended protocol: Parse/Bind/Execute/Sync) from one
 * client must not interleave with another client's, or the unnamed prepared statement is lost
 * ("unnamed prepared statement does not exist").
 */
let dir: string;
let embedded: EmbeddedDb;
let sharing: Awaited<ReturnType<typeof shareOverSocket>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-sock-'));
  embedded = await openEmbedded(dir, 'test');
  await embedded.pglite.exec('CREATE TABLE t (id serial PRIMARY KEY, v text)');
  sharing = await shareOverSocket(embedded);
}, 60_000);
afterAll(async () => {
  await sharing?.stop();
  await embedded?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded database over the socket', () => {
  it('keeps each client’s extended-protocol sequence together under concurrency', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool(socketPoolConfig(sharing.socketDir, 2)));
    try {
      const writer = async (pool: pg.Pool) => {
        for (let i = 0; i < 30; i++) {
          const c = await pool.connect();
          try {
            await c.query('BEGIN');
            await c.query('INSERT INTO t (v) VALUES ($1)', [`w${i}`]);
            await c.query('SELECT count(*) FROM t WHERE v = $1', [`w${i}`]);
            await c.query('COMMIT');
          } finally {
            c.release();
          }
        }
      };
      const reader = async (pool: pg.Pool) => {
        for (let i = 0; i < 60; i++) await pool.query('SELECT $1::int + 1 AS n, (SELECT count(*) FROM t WHERE v <> $2) AS c', [i, 'x']);
      };
      await Promise.all([writer(pools[0]!), reader(pools[1]!), reader(pools[2]!), reader(pools[0]!)]);
      expect((await pools[1]!.query('SELECT count(*)::int AS n FROM t')).rows[0]).toEqual({ n: 30 });
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  }, 60_000);
});
