import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded, shareOverSocket, type EmbeddedDb } from '@/lib/db/embedded';
import { socketPoolConfig } from '@/lib/db/socket';

/**
 * The embedded server's socket under concurrency: many clients with extended-protocol queries of
 * different shapes, and transactions, must never see each other's statements. (Runs in both integration
 * projects; it always uses an embedded PGlite, which is what it tests.)
 */
let dir = '';
let embedded: EmbeddedDb;
let sharing: Awaited<ReturnType<typeof shareOverSocket>>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-sock-'));
  embedded = await openEmbedded(dir, 'test');
  await embedded.pglite.exec('CREATE TABLE t (id serial primary key, a int, b text, c int)');
  sharing = await shareOverSocket(embedded);
});
afterAll(async () => {
  await sharing?.stop();
  await embedded?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('embedded database socket', () => {
  it('keeps each client\'s Parse/Bind/Execute together under heavy concurrency', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool(socketPoolConfig(sharing.socketDir, 6)));
    try {
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < 300; i++) {
        const pool = pools[i % 3]!;
        const shape = i % 3;
        jobs.push(
          (async () => {
            if (shape === 0) {
              const r = await pool.query('SELECT $1::int + $2::int AS s', [i, 1]);
              expect(r.rows[0].s).toBe(i + 1);
            } else if (shape === 1) {
              const r = await pool.query('SELECT $1::int AS a, $2::text AS b, $3::int AS c', [i, `x${i}`, -i]);
              expect(r.rows[0]).toEqual({ a: i, b: `x${i}`, c: -i });
            } else {
              const r = await pool.query("SELECT 'plain' AS p");
              expect(r.rows[0].p).toBe('plain');
            }
          })(),
        );
      }
      await Promise.all(jobs);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('isolates a transaction from other clients and rolls back one left open by a vanished client', async () => {
    const a = new pg.Client(socketPoolConfig(sharing.socketDir, 1));
    const b = new pg.Pool(socketPoolConfig(sharing.socketDir, 4));
    await a.connect();
    await a.query('BEGIN');
    await a.query('INSERT INTO t (a, b, c) VALUES ($1, $2, $3)', [1, 'in-tx', 1]);
    // other clients wait for the transaction instead of running inside it
    const other = b.query('SELECT count(*)::int AS n FROM t');
    await new Promise((r) => setTimeout(r, 50));
    await a.query('ROLLBACK');
    expect((await other).rows[0].n).toBe(0);

    await a.query('BEGIN');
    await a.query('INSERT INTO t (a, b, c) VALUES (2, $1, 2)', ['abandoned']);
    a.on('error', () => {}); // the client's own view of the cut connection
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const r = await b.query('SELECT count(*)::int AS n FROM t');
    expect(r.rows[0].n).toBe(0);
    await b.end();
  });
});
