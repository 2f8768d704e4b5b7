import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@/lib/errors';
import { readEpochs, rotateEpochs } from '@/lib/keys/epochs';
import { vaultKeyDays } from '@/lib/keys/vault-keys';
import { KeyRing } from '@/lib/masking/keyring';
import { Masker } from '@/lib/masking/mask';
import { decryptRecord } from '@/lib/masking/vault-crypto';
import { findLeaks } from '../helpers/leaks';
import { anonEdit, rawEdit } from '../helpers/raw-edit';
import { testContext } from '../helpers/context';

const dirs: string[] = [];
const tmpKeys = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-keys-'));
  dirs.push(d);
  return path.join(d, 'keys');
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const limits = { v4: 16, v6: 19 };
const newMasker = (keysDir = tmpKeys(), displayChars?: number) => {
  const keys = new KeyRing(keysDir, () => new Date('2026-03-01T12:00:00Z'), 0);
  return { keys, masker: new Masker({ keys, limits, displayChars, context: testContext() }) };
};

describe('maskEdit', () => {
  it('turns an IP editor into pseudonyms, ranges at the stored lengths, and one vault record', () => {
    const { keys, masker } = newMasker();
    const { masked, vault } = masker.maskEdit(anonEdit('198.51.100.23', { userAgent: 'Mozilla/5.0 (X11)' }));
    expect(masked.actor).toMatchObject({ kind: 'ip', name: expect.stringMatching(/^IP-/), key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(masked.ip!.ranges.map((r) => r.prefix)).toEqual([16, 24]);
    expect(masked.ip!.ranges[1]!.display).toMatch(/^R24-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(masked.userAgent!.display).toMatch(/^UA-/);
    expect(vault).toHaveLength(1);
    expect(masked.actor.vaultId).toBe(vault[0]!.id);
    const key = keys.vaultKey(vault[0]!.day)!;
    expect(decryptRecord(key, vault[0]!.id, vault[0]!.day, vault[0]!.nonce, vault[0]!.ciphertext)).toEqual({
      ip: '198.51.100.23',
      userAgent: 'Mozilla/5.0 (X11)',
    });
    const text = JSON.stringify(masked);
    expect(findLeaks(text, ['198.51.100.23'])).toEqual([]);
    expect(text).not.toContain('Mozilla');
  });

  it('IPv6 editors get /32, /48, /64 ranges, plus extra lengths asked for; out-of-limit lengths are refused', () => {
    const { masker } = newMasker();
    const a = masker.maskEdit(anonEdit('2001:db8:1:2::99'), { extraLengths: { v6: new Set([19, 56]), v4: new Set([20]) } });
    expect(a.masked.ip!.ranges.map((r) => r.prefix)).toEqual([19, 32, 48, 56, 64]);
    expect(() => masker.maskEdit(anonEdit('2001:db8::1'), { extraLengths: { v6: new Set([18]) } })).toThrow(ValidationError);
    expect(() => masker.maskEdit(anonEdit('192.0.2.1'), { extraLengths: { v4: new Set([33]) } })).toThrow(ValidationError);
  });

  it('treats IPv4-mapped IPv6 and zone ids as the same actor', () => {
    const { masker } = newMasker();
    const a = masker.maskEdit(anonEdit('192.0.2.77')).masked;
    const b = masker.maskEdit(anonEdit('::ffff:192.0.2.77')).masked;
    const c = masker.maskEdit(anonEdit('fe80::1')).masked;
    const d = masker.maskEdit(anonEdit('FE80:0::0001%eth0')).masked;
    expect(b.actor.key).toBe(a.actor.key);
    expect(b.ip!.ranges).toEqual(a.ip!.ranges);
    expect(d.actor.key).toBe(c.actor.key);
  });

  it('keeps temporary and registered names as the actor, with IP pseudonyms from a trusted producer', () => {
    const { masker } = newMasker();
    const temp = masker.maskEdit(rawEdit({ user: '~2026-12345-67', isTemp: true, ip: '203.0.113.5' })).masked;
    const reg = masker.maskEdit(rawEdit({ user: 'Example user', ip: '203.0.113.5' })).masked;
    const anon = masker.maskEdit(anonEdit('203.0.113.5')).masked;
    const plain = masker.maskEdit(rawEdit({ user: 'Someone' }));
    expect(temp.actor).toEqual({ kind: 'temp', name: '~2026-12345-67', key: null, vaultId: null });
    expect(reg.actor).toMatchObject({ kind: 'user', name: 'Example user', key: null });
    expect(temp.ip!.key).toBe(anon.actor.key);
    expect(reg.ip!.ranges[1]!.key).toBe(anon.ip!.ranges[1]!.key);
    expect(plain.masked.ip).toBeNull();
    expect(plain.vault).toEqual([]);
  });

  it('refuses invalid IPs with errors that name the field and never echo the value', () => {
    const { masker } = newMasker();
    const cases = [
      () => masker.maskEdit(rawEdit({ ip: '203.0.113.500' })),
      () => masker.maskEdit(anonEdit('203.0.113.5 (proxy)')),
      () => masker.maskEdit(rawEdit({ sourceId: 'irc:203.0.113.5:1' })),
    ];
    for (const [i, f] of cases.entries()) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err, `case ${i}`).toBeInstanceOf(ValidationError);
      const dump = `${String(err)} ${JSON.stringify(err)} ${(err as Error).stack}`;
      expect(dump).not.toContain('203.0.113');
      expect(Object.keys((err as ValidationError).fields)).toEqual([['ip', 'user', 'sourceId'][i]]);
    }
  });

  it('masks IPs in every text field, one vault record per distinct address', () => {
    const { masker } = newMasker();
    const { masked, vault } = masker.maskEdit(
      anonEdit('192.0.2.9', {
        title: 'User talk:192.0.2.9',
        comment: 'Reverted edits by 2001:db8::7 (talk) to last version by 192.0.2.9',
        parsedComment: 'Reverted edits by <a href="/wiki/Special:Contributions/2001:DB8::7">2001:db8::7</a>',
        logParams: { target: '2001:db8::7', duration: '31 hours', nested: [{ ip: '::ffff:192.0.2.10' }] },
      }),
    );
    expect(masked.title).toBe(`User talk:${masked.actor.name}`);
    expect(masked.mentions.map((m) => m.display)).toContain(masked.actor.name);
    expect(masked.mentions).toHaveLength(3);
    expect(vault).toHaveLength(3);
    expect(findLeaks(JSON.stringify(masked), ['192.0.2.9', '2001:db8::7', '192.0.2.10'])).toEqual([]);
  });

  it('display collisions: the display form is a label, actors are told apart by their full key', () => {
    const { masker } = newMasker(tmpKeys(), 1); // 1 base32 character: 32 labels
    const edits = Array.from({ length: 100 }, (_, i) => masker.maskEdit(anonEdit(`10.0.${i >> 8}.${i & 255}`)).masked);
    const byDisplay = new Map<string, Set<string>>();
    for (const e of edits) byDisplay.set(e.actor.name, (byDisplay.get(e.actor.name) ?? new Set()).add(e.actor.key!));
    const collided = [...byDisplay.values()].find((keys) => keys.size > 1);
    expect(collided, 'a forced display collision').toBeDefined();
    expect(new Set(edits.map((e) => e.actor.key)).size).toBe(100);
    expect(byDisplay.size).toBeLessThanOrEqual(32);
  });
});

describe('key store', () => {
  it('keeps keys in 0700 directories and 0600 files, never in the masked output', () => {
    const dir = tmpKeys();
    const { masker } = newMasker(dir);
    const { masked } = masker.maskEdit(anonEdit('192.0.2.1'));
    for (const sub of ['', 'pseudonym', 'vault']) expect(fs.statSync(path.join(dir, sub)).mode & 0o777).toBe(0o700);
    const files = [...fs.readdirSync(path.join(dir, 'pseudonym')).map((f) => path.join(dir, 'pseudonym', f)), ...fs.readdirSync(path.join(dir, 'vault')).map((f) => path.join(dir, 'vault', f))];
    for (const f of files) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    for (const f of files.filter((x) => x.endsWith('.key'))) {
      const raw = Buffer.from(fs.readFileSync(f, 'utf8').trim(), 'base64');
      expect(raw.length).toBeGreaterThanOrEqual(32);
      const out = JSON.stringify(masked);
      expect(out).not.toContain(raw.toString('hex'));
      expect(out).not.toContain(raw.toString('base64'));
    }
    expect(vaultKeyDays(dir)).toEqual(['2026-03-01']);
  });

  it('rotation starts a new epoch the masker picks up; retired keys are destroyed after the retention', () => {
    const dir = tmpKeys();
    const { masker } = newMasker(dir);
    const before = masker.maskEdit(anonEdit('192.0.2.1')).masked;
    const t0 = new Date('2026-03-01T12:00:00Z');
    expect(rotateEpochs(dir, t0, { epochDays: 90, retentionDays: 90 }).created).toBeNull();
    const r = rotateEpochs(dir, new Date(t0.getTime() + 90 * 864e5), { epochDays: 90, retentionDays: 90 });
    expect(r.retired!.id).toBe(before.epoch);
    const after = masker.maskEdit(anonEdit('192.0.2.1')).masked;
    expect(after.epoch).toBe(r.created!.id);
    expect(after.actor.key).not.toBe(before.actor.key);
    expect(after.ip!.ranges[1]!.key).not.toBe(before.ip!.ranges[1]!.key);
    expect(fs.existsSync(path.join(dir, 'pseudonym', `${before.epoch}.key`))).toBe(true);
    const later = rotateEpochs(dir, new Date(t0.getTime() + 181 * 864e5), { epochDays: 90, retentionDays: 90 });
    expect(later.destroyed.map((e) => e.id)).toEqual([before.epoch]);
    expect(fs.existsSync(path.join(dir, 'pseudonym', `${before.epoch}.key`))).toBe(false);
    expect(readEpochs(dir).find((e) => e.id === before.epoch)!.destroyedAt).not.toBeNull();
  });
});
