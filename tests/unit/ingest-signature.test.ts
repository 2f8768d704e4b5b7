import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseIngestEvent } from '@/lib/ingest/ingest-request';
import { signRequest, verifySignature } from '@/lib/ingest/signature';
import { ingestEvent } from '../helpers/ingest-endpoint';

const SECRET = Buffer.from('a-shared-secret-of-at-least-32-characters', 'utf8');
const BODY = Buffer.from('{"events":[]}');
const NOW = 1_790_000_000_000;
const TS = String(NOW / 1000);

const verify = (over: Partial<Parameters<typeof verifySignature>[0]> = {}) =>
  verifySignature({ secret: SECRET, timestamp: TS, signature: signRequest(SECRET, TS, BODY), body: BODY, nowMs: NOW, ...over });

describe('ingest request signatures', () => {
  it('sign as documented: sha256= hex HMAC-SHA-256 over timestamp "." body', () => {
    const hex = createHmac('sha256', SECRET).update(`${TS}.{"events":[]}`).digest('hex');
    expect(signRequest(SECRET, TS, BODY)).toBe(`sha256=${hex}`);
    expect(verify()).toEqual({ ok: true, timestamp: NOW / 1000, digest: hex });
    expect(verify({ signature: `sha256=${hex.toUpperCase()}` }).ok).toBe(true);
  });

  it('refuse missing headers as unsigned', () => {
    expect(verify({ signature: null })).toMatchObject({ ok: false, code: 'unsigned' });
    expect(verify({ timestamp: null })).toMatchObject({ ok: false, code: 'unsigned' });
  });

  it('refuse a wrong secret, a tampered body, a changed timestamp and malformed headers', () => {
    const other = Buffer.from('another-secret-of-at-least-32-characters!', 'utf8');
    expect(verify({ signature: signRequest(other, TS, BODY) })).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verify({ body: Buffer.from('{"events":[1]}') })).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verify({ timestamp: String(NOW / 1000 + 1) })).toMatchObject({ ok: false, code: 'bad_signature' });
    for (const signature of ['sha256=abc', 'md5=00', signRequest(SECRET, TS, BODY).replace('sha256=', ''), `${signRequest(SECRET, TS, BODY)}00`])
      expect(verify({ signature })).toMatchObject({ ok: false, code: 'bad_signature' });
    for (const timestamp of ['1.5', '-1', 'soon', `${TS}000000`]) expect(verify({ timestamp })).toMatchObject({ ok: false });
  });

  it('refuse a timestamp outside ±5 minutes, even when signed correctly', () => {
    for (const skew of [-301, 301]) {
      const ts = String(NOW / 1000 + skew);
      expect(verify({ timestamp: ts, signature: signRequest(SECRET, ts, BODY) })).toMatchObject({ ok: false, code: 'expired' });
    }
    const edge = String(NOW / 1000 - 300);
    expect(verify({ timestamp: edge, signature: signRequest(SECRET, edge, BODY) }).ok).toBe(true);
  });

  it('messages never echo header values', () => {
    const r = verify({ signature: 'sha256=203.0.113.9' });
    expect(JSON.stringify(r)).not.toContain('203.0.113.9');
  });
});

describe('ingest events', () => {
  it('become RawEdits from the ingest API with the private IP and user agent', () => {
    const r = parseIngestEvent(ingestEvent({ ip: '2001:db8::7', tags: ['mobile edit'] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.edit).toMatchObject({ source: 'ingest-api', ip: '2001:db8::7', userAgent: 'Mozilla/5.0 (test)', isTemp: true, tags: ['mobile edit'] });
  });

  it('are refused with value-free reasons', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ip: undefined }, /field `ip` has the wrong type or is missing/],
      [{ ip: '203.0.113.999' }, /field `ip` is not an IP address/],
      [{ userAgent: 'x'.repeat(1001) }, /field `userAgent` is too long/],
      [{ wiki: 'EN WIKI' }, /field `wiki`/],
    ];
    for (const [over, reason] of cases) {
      const r = parseIngestEvent(ingestEvent(over));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.reason).toMatch(reason);
      expect(r.reason).not.toContain('203.0.113');
    }
    expect(parseIngestEvent(ingestEvent({ meta: { id: 'x', domain: 'canary' } }))).toMatchObject({ ok: false, ignore: true });
  });
});
