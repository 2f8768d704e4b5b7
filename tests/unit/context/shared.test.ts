import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedIpContext } from '@/lib/context/shared';
import { createLogger, setLogger } from '@/lib/log';

/** The process's shared context: switched off by configuration; data that cannot load means ingest without context. */
const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('MASKPATROL_IP_CONTEXT') || k === 'LOG_LEVEL') delete process.env[k];
  Object.assign(process.env, saved);
  setLogger(createLogger());
});

describe('sharedIpContext', () => {
  it('is null when MASKPATROL_IP_CONTEXT=false', () => {
    process.env.MASKPATROL_IP_CONTEXT = 'false';
    expect(sharedIpContext()).toBeNull();
  });

  it('logs one error naming the file and goes on without context when the data is missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-ctx-none-'));
    const lines: string[] = [];
    process.env.LOG_LEVEL = 'info';
    setLogger(createLogger({ write: (l: string) => void lines.push(l) }));
    process.env.MASKPATROL_IP_CONTEXT_DIR = dir;
    expect(sharedIpContext()).toBeNull();
    expect(sharedIpContext()).toBeNull(); // remembered: not retried per event
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/IP context data could not be loaded/);
    expect(lines[0]).toContain('asn-ipv4-num.csv (ENOENT)');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
