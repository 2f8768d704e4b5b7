import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendCheckpointFile, parseCheckpointFile, readCheckpointFile } from '@/lib/audit/checkpoint-file';
import { SIGNING_KEY_FILE, keyMap, loadOrCreateSigningKey, publicKeyFromPem, readPublicKey, signCheckpoint, signatureValid } from '@/lib/audit/signing';
import { ConfigError, loadConfig } from '@/lib/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-audit-sign-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('checkpoint signing key', () => {
  it('is created once in the key store (0600) and read back the same; its public key verifies, others do not', () => {
    const a = loadOrCreateSigningKey(dir);
    const b = loadOrCreateSigningKey(dir);
    expect(b.keyId).toBe(a.keyId);
    expect(a.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect((fs.statSync(path.join(dir, SIGNING_KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
    const pem = readPublicKey(dir)!.export({ type: 'spki', format: 'pem' }).toString();
    expect(pem).toMatch(/BEGIN PUBLIC KEY/);

    const c = signCheckpoint(a, { seq: 7n, hash: 'a'.repeat(64) });
    expect(signatureValid(c, keyMap([publicKeyFromPem(pem)]))).toBe(true);
    for (const forged of [{ ...c, seq: 8n }, { ...c, hash: 'b'.repeat(64) }, { ...c, createdAt: new Date(c.createdAt.getTime() + 1) }, { ...c, signature: 'AAAA' }])
      expect(signatureValid(forged, keyMap([a.publicKey]))).toBe(false);
    expect(signatureValid(c, new Map())).toBe(false); // unknown key
  });
});

describe('checkpoint file', () => {
  it('appends one JSON line per checkpoint (0600) and reads them back; a damaged line is named', () => {
    const key = loadOrCreateSigningKey(dir);
    const file = path.join(dir, 'sub', 'cp.jsonl');
    expect(readCheckpointFile(file)).toEqual({ exists: false, records: [], bad: [] });
    const c1 = signCheckpoint(key, { seq: 1n, hash: 'c'.repeat(64) });
    const c2 = signCheckpoint(key, { seq: 5n, hash: 'd'.repeat(64) });
    appendCheckpointFile(file, c1);
    appendCheckpointFile(file, c2);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const read = readCheckpointFile(file);
    expect(read.records.map(({ line: _line, ...r }) => r)).toEqual([c1, c2]);
    expect(parseCheckpointFile(`${fs.readFileSync(file, 'utf8')}{"seq":"x"}\n`).bad).toEqual([3]);
  });
});

describe('checkpoint configuration', () => {
  it('always checkpoints after ip.reveal, adds listed actions, and refuses a malformed list', () => {
    expect(loadConfig({}).audit).toMatchObject({ checkpointRows: 100, checkpointMinutes: 10, checkpointActions: ['ip.reveal'] });
    expect(loadConfig({ MASKPATROL_AUDIT_CHECKPOINT_ACTIONS: 'role.grant, keys.rotate' }).audit.checkpointActions).toEqual(['ip.reveal', 'role.grant', 'keys.rotate']);
    expect(() => loadConfig({ MASKPATROL_AUDIT_CHECKPOINT_ACTIONS: 'reveal everything' })).toThrow(ConfigError);
    expect(loadConfig({ MASKPATROL_KEYS_DIR: '/srv/keys' }).audit.checkpointFile).toBe('/srv/keys/audit-checkpoints.jsonl');
  });
});
