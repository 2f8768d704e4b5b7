import ipaddr from 'ipaddr.js';

/**
 * Leak search: every textual form an IP address could take, and a whole-token search for them in a dump.
 * Reusable by any suite that must prove "no raw IP here" (logs, tables, exports, API responses).
 */

/** Every spelling of an address worth searching for (lower case). IPv4-mapped IPv6 gives both families' forms. */
export function ipTextForms(address: string): string[] {
  const parsed = ipaddr.parse(address.replace(/%.*$/, ''));
  const forms = new Set<string>();
  const v6Forms = (v6: ipaddr.IPv6) => {
    const bytes = Buffer.from(v6.toByteArray());
    forms.add(v6.toRFC5952String()); // compressed: 2001:db8::1
    forms.add(v6.toNormalizedString()); // uncompressed: 2001:db8:0:0:0:0:0:1
    forms.add(expandedV6(v6)); // expanded: 2001:0db8:0000:…
    forms.add(bytes.toString('hex'));
    forms.add(`0x${bytes.toString('hex')}`);
    forms.add(BigInt(`0x${bytes.toString('hex')}`).toString(10));
    // reverse DNS: one label per nibble, least significant first
    forms.add(`${[...bytes.toString('hex')].reverse().join('.')}.ip6.arpa`);
  };
  const v4Forms = (v4: ipaddr.IPv4) => {
    const o = v4.octets;
    const hex = Buffer.from(o).toString('hex');
    forms.add(o.join('.'));
    forms.add(o.map((n) => String(n).padStart(3, '0')).join('.'));
    forms.add(hex);
    forms.add(`0x${hex}`);
    forms.add(String(((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!));
    forms.add(`${[...o].reverse().join('.')}.in-addr.arpa`);
    const mapped = v4.toIPv4MappedAddress();
    v6Forms(mapped);
    forms.add(`::ffff:${o.join('.')}`);
    forms.add(`0:0:0:0:0:ffff:${o.join('.')}`);
  };
  if (parsed.kind() === 'ipv4') v4Forms(parsed as ipaddr.IPv4);
  else {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) v4Forms(v6.toIPv4Address());
    else v6Forms(v6);
  }
  return [...forms].map((f) => f.toLowerCase());
}

const ALNUM = /[0-9a-z]/;

export interface LeakHit {
  canary: string;
  form: string;
  index: number;
}

/**
 * Whole-token, case-insensitive search: a form counts only when not glued to a letter or digit on either
 * side, so a hex form inside a hash or a decimal form inside a longer number is not a (false) hit.
 */
export function findLeaks(haystack: string, canaries: string[]): LeakHit[] {
  const text = haystack.toLowerCase();
  const hits: LeakHit[] = [];
  for (const canary of canaries)
    for (const form of ipTextForms(canary)) {
      let i = text.indexOf(form);
      while (i >= 0) {
        const before = text[i - 1] ?? '';
        const after = text[i + form.length] ?? '';
        if (!ALNUM.test(before) && !ALNUM.test(after)) hits.push({ canary, form, index: i });
        i = text.indexOf(form, i + 1);
      }
    }
  return hits;
}

/** A readable dump of one value: bytes as \x-hex, bigints and dates as strings. */
export function serialise(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (typeof val === 'bigint') return val.toString();
    if (val && typeof val === 'object' && (val as { type?: string }).type === 'Buffer' && Array.isArray((val as { data?: unknown }).data))
      return `\\x${Buffer.from((val as { data: number[] }).data).toString('hex')}`;
    if (val instanceof Uint8Array) return `\\x${Buffer.from(val).toString('hex')}`;
    return val;
  });
}

/**
 * Every row of every table in the public schema, serialised. `omit` names columns to leave out
 * ("vault_record.ciphertext": ciphertext is random-looking bytes and is checked by decryption instead).
 */
export async function dumpAllTables(
  sql: (text: string) => Promise<Record<string, unknown>[]>,
  omit: string[] = ['vault_record.ciphertext'],
): Promise<{ tables: string[]; text: string }> {
  const tables = (
    await sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)
  ).map((r) => String(r.table_name));
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await sql(`SELECT * FROM "${table.replace(/"/g, '""')}"`);
    for (const row of rows) {
      const kept: Record<string, unknown> = {};
      for (const [col, val] of Object.entries(row)) if (!omit.includes(`${table}.${col}`)) kept[col] = val;
      parts.push(`${table}: ${serialise(kept)}`);
    }
  }
  return { tables, text: parts.join('\n') };
}

/** Every group written out with four digits: 2001:0db8:0000:…:0001 (not in ipaddr.js's type declarations). */
export function expandedV6(v6: ipaddr.IPv6): string {
  return v6.parts.map((p) => p.toString(16).padStart(4, '0')).join(':');
}

/** Search several named texts; each hit as "source: form (canary) in …context…", for a readable failure. */
export function leakReport(sources: Record<string, string>, canaries: string[]): string[] {
  const out: string[] = [];
  for (const [name, text] of Object.entries(sources))
    for (const h of findLeaks(text, canaries))
      out.push(`${name}: ${h.form} (${h.canary}) in …${text.slice(Math.max(0, h.index - 60), h.index + h.form.length + 60).replace(/\s+/g, ' ')}…`);
  return out;
}
