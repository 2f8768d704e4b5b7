import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@/lib/config';
import { createLogger } from '@/lib/log';

describe('configuration', () => {
  it('defaults to the embedded database with demo accounts', () => {
    const c = loadConfig({});
    expect(c.embedded).toBe(true);
    expect(c.demoAccounts).toBe(true);
    expect(c.PORT).toBe(3000);
    expect(c.dataDir).toMatch(/\/data$/);
  });
  it('uses PostgreSQL when DATABASE_URL is set, without demo accounts', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1/db' });
    expect(c.embedded).toBe(false);
    expect(c.demoAccounts).toBe(false);
  });
  it('reports every invalid variable by name, without its value', () => {
    try {
      loadConfig({ PORT: 'eighty', NEXTAUTH_SECRET: 'tooshort-secret-value' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain('PORT');
      expect((e as Error).message).toContain('NEXTAUTH_SECRET');
      expect((e as Error).message).not.toContain('tooshort-secret-value');
    }
  });
});

describe('logging', () => {
  it('redacts secrets wherever they sit in a log object', () => {
    let out = '';
    const sink = new Writable({
      write(c, _e, cb) {
        out += c.toString();
        cb();
      },
    });
    process.env.LOG_LEVEL = 'info';
    const logger = createLogger(sink);
    delete process.env.LOG_LEVEL;
    logger.info({ password: 'hunter2-pass', user: { token: 'tok-123', name: 'a' }, headers: { cookie: 'sid=abc' }, ip: '192.0.2.7' }, 'x');
    expect(out).toContain('[redacted]');
    for (const s of ['hunter2-pass', 'tok-123', 'sid=abc', '192.0.2.7']) expect(out).not.toContain(s);
    expect(out).toContain('"name":"a"');
  });
});
