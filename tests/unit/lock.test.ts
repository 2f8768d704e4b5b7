import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, acquireDataDirLock, liveOwner } from '@/lib/db/lock';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('data directory lock', () => {
  it('a second owner is refused with a clear message while the first holds it', () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir, 'server');
    expect(liveOwner(dir)?.pid).toBe(process.pid);
    try {
      acquireDataDirLock(dir, 'second server');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataDirLockedError);
      expect((e as Error).message).toContain('in use by another maskpatrol process');
      expect((e as Error).message).toContain(String(process.pid));
    }
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    acquireDataDirLock(dir, 'third').release();
  });

  it('takes over a lock left by a dead process', () => {
    const dir = tmp();
    // a pid that certainly exited: a finished child
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: os.hostname(), role: 'server', startedAt: 'x' }));
    expect(liveOwner(dir)).toBeNull();
    const lock = acquireDataDirLock(dir, 'server');
    expect(liveOwner(dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a half-written lock file', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, LOCK_FILE), '{"pi');
    acquireDataDirLock(dir, 'server').release();
  });
});
