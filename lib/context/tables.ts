import fs from 'node:fs';

/**
 * Compact in-memory range tables built from the ip-location-db CSV files (inclusive ranges, sorted by start).
 * IPv4 rows keep start/end as Uint32; IPv6 rows keep only the upper 64 bits of start/end (two Uint32 each),
 * because context is never looked up finer than a /64; a row whose start or end falls inside a /64 is marked
 * partial, and a /64 touched by a partial row has no single answer. Values are small integers (an ASN, or a
 * country code packed into 16 bits); organisation names live once per ASN in a Map.
 */
export interface V4Table {
  start: Uint32Array;
  end: Uint32Array;
  value: Uint32Array;
}

export interface V6Table {
  startHi: Uint32Array;
  startLo: Uint32Array;
  endHi: Uint32Array;
  endLo: Uint32Array;
  value: Uint32Array;
  /** bit 1: the start is not /64-aligned; bit 2: the end does not close its /64 */
  partial: Uint8Array;
}

/** A file that is missing or malformed: the message names the file and line, never a value. */
export class ContextDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextDataError';
  }
}

function readBuffer(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new ContextDataError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The rest of a row after its two address fields, as bytes [from, to) of the file: the table's value parser
 * reads them without making strings (the files are tens of megabytes; a string per field would take seconds).
 */
export type RowValue = (buf: Buffer, from: number, to: number) => number;

const COMMA = 44;
const NL = 10;
const CR = 13;

/** Decimal digits [from, to) → number; NaN when empty or not digits. */
export function decimal(buf: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 15) return NaN;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** A CSV field [from, to) as text: a quoted field is unquoted ("" → "). */
export function fieldText(buf: Buffer, from: number, to: number): string {
  if (buf[from] === 34 && to - from >= 2 && buf[to - 1] === 34) return buf.toString('utf8', from + 1, to - 1).replaceAll('""', '"');
  return buf.toString('utf8', from, to);
}

/** Calls `row(lineNo, f0end, f1end, lineEnd, lineStart)` for each non-empty line (f0end, f1end: the first two commas). */
function eachRow(buf: Buffer, file: string, row: (line: number, start: number, c1: number, c2: number, end: number) => void): void {
  let pos = 0;
  let line = 0;
  while (pos < buf.length) {
    line++;
    let end = buf.indexOf(NL, pos);
    if (end < 0) end = buf.length;
    const next = end + 1;
    if (end > pos && buf[end - 1] === CR) end--;
    if (end > pos) {
      const c1 = buf.indexOf(COMMA, pos);
      const c2 = c1 < 0 || c1 >= end ? -1 : buf.indexOf(COMMA, c1 + 1);
      if (c2 < 0 || c2 >= end) throw new ContextDataError(`${file}: line ${line} has fewer than three fields`);
      row(line, pos, c1, c2, end);
    }
    pos = next;
  }
}

/**
 * Load an IPv4 table from a "-num" CSV (start and end as unsigned integers); `value` maps the rest of the row
 * to a number (0 = no value). Rows must be sorted by start (checked); where two rows overlap (the upstream data
 * has such bugs), the overlapped addresses get no value unless the rows agree.
 */
export function loadV4(file: string, value: RowValue): V4Table {
  const buf = readBuffer(file);
  let cap = 1024;
  for (let i = buf.indexOf(NL); i >= 0; i = buf.indexOf(NL, i + 1)) cap++;
  cap += 64; // an overlap splits into up to three rows
  let start = new Uint32Array(cap);
  let end = new Uint32Array(cap);
  let val = new Uint32Array(cap);
  let n = 0;
  const push = (s: number, e: number, v: number) => {
    if (n === start.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      start = grow(start);
      end = grow(end);
      val = grow(val);
    }
    start[n] = s;
    end[n] = e;
    val[n] = v;
    n++;
  };
  eachRow(buf, file, (line, p, c1, c2, eol) => {
    const s = decimal(buf, p, c1);
    const e = decimal(buf, c1 + 1, c2);
    if (!(s <= e) || e > 0xffffffff || (n && s < start[n - 1]!)) throw new ContextDataError(`${file}: line ${line} is not a sorted IPv4 range`);
    const v = value(buf, c2 + 1, eol);
    const prevEnd = n ? end[n - 1]! : -1;
    if (s > prevEnd) return push(s, e, v);
    const prevVal = val[n - 1]!;
    if (prevVal === v) {
      end[n - 1] = Math.max(prevEnd, e);
      return;
    }
    const tail = prevEnd > e ? { s: e + 1, e: prevEnd, v: prevVal } : null;
    if (s > start[n - 1]!) end[n - 1] = s - 1;
    else n--;
    push(s, Math.min(e, prevEnd), 0);
    if (e > prevEnd) push(prevEnd + 1, e, v);
    if (tail) push(tail.s, tail.e, tail.v);
  });
  if (n === 0) throw new ContextDataError(`${file}: no rows`);
  return { start: start.slice(0, n), end: end.slice(0, n), value: val.slice(0, n) };
}

/**
 * An IPv6 address in hex notation (no embedded IPv4) at bytes [from, to) → its 8 groups written into `out`;
 * false when malformed.
 */
export function parseV6(buf: Buffer, from: number, to: number, out: Uint16Array): boolean {
  const head: number[] = [];
  const tail: number[] = [];
  let cur = head;
  let g = 0;
  let digits = 0;
  let gap = false;
  let i = from;
  while (i < to) {
    const c = buf[i]!;
    if (c === 58) {
      if (i + 1 < to && buf[i + 1] === 58) {
        if (gap || (!digits && i !== from)) return false;
        if (digits) cur.push(g);
        g = 0;
        digits = 0;
        gap = true;
        cur = tail;
        i += 2;
        continue;
      }
      if (!digits) return false;
      cur.push(g);
      g = 0;
      digits = 0;
      i++;
      continue;
    }
    const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (h < 0 || digits === 4) return false;
    g = (g << 4) | h;
    digits++;
    i++;
  }
  if (digits) cur.push(g);
  else if (!(gap && to - from >= 2 && buf[to - 1] === 58 && buf[to - 2] === 58)) return false;
  const fill = 8 - head.length - tail.length;
  if (gap ? fill < 1 : fill !== 0) return false;
  out.fill(0);
  head.forEach((v, k) => (out[k] = v));
  tail.forEach((v, k) => (out[8 - tail.length + k] = v));
  return true;
}

/** The 8 groups of an IPv6 address given as text (tests and tools). */
export function v6Groups(s: string): number[] | null {
  const out = new Uint16Array(8);
  return parseV6(Buffer.from(s, 'latin1'), 0, s.length, out) ? [...out] : null;
}

/** Like loadV4 for IPv6 (addresses in hex notation), keeping the upper 64 bits and the partial flags. */
export function loadV6(file: string, value: RowValue): V6Table {
  const buf = readBuffer(file);
  let cap = 1;
  for (let i = buf.indexOf(NL); i >= 0; i = buf.indexOf(NL, i + 1)) cap++;
  const t: V6Table = {
    startHi: new Uint32Array(cap),
    startLo: new Uint32Array(cap),
    endHi: new Uint32Array(cap),
    endLo: new Uint32Array(cap),
    value: new Uint32Array(cap),
    partial: new Uint8Array(cap),
  };
  const s = new Uint16Array(8);
  const e = new Uint16Array(8);
  let n = 0;
  eachRow(buf, file, (line, p, c1, c2, eol) => {
    if (!parseV6(buf, p, c1, s) || !parseV6(buf, c1 + 1, c2, e)) throw new ContextDataError(`${file}: line ${line} is not an IPv6 range`);
    t.startHi[n] = s[0]! * 65536 + s[1]!;
    t.startLo[n] = s[2]! * 65536 + s[3]!;
    t.endHi[n] = e[0]! * 65536 + e[1]!;
    t.endLo[n] = e[2]! * 65536 + e[3]!;
    if (n > 0 && cmp(t.startHi[n]!, t.startLo[n]!, t.startHi[n - 1]!, t.startLo[n - 1]!) < 0)
      throw new ContextDataError(`${file}: line ${line} is out of order`);
    t.partial[n] = (s[4] || s[5] || s[6] || s[7] ? 1 : 0) | (e[4]! & e[5]! & e[6]! & e[7]! ^ 0xffff ? 2 : 0);
    t.value[n] = value(buf, c2 + 1, eol);
    n++;
  });
  if (n === 0) throw new ContextDataError(`${file}: no rows`);
  return {
    startHi: t.startHi.slice(0, n),
    startLo: t.startLo.slice(0, n),
    endHi: t.endHi.slice(0, n),
    endLo: t.endLo.slice(0, n),
    value: t.value.slice(0, n),
    partial: t.partial.slice(0, n),
  };
}

export function cmp(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return aHi !== bHi ? aHi - bHi : aLo - bLo;
}

/** Index of the last row whose start ≤ x, or -1. */
export function lastStartAtOrBelow4(t: V4Table, x: number): number {
  let lo = 0;
  let hi = t.start.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (t.start[mid]! <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function lastStartAtOrBelow6(t: V6Table, xHi: number, xLo: number): number {
  let lo = 0;
  let hi = t.startHi.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(t.startHi[mid]!, t.startLo[mid]!, xHi, xLo) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The single value covering the whole IPv4 block [s, e], or 0 when the block is not covered by rows that all
 * carry the same value (a gap, or two networks inside it).
 */
export function blockValue4(t: V4Table, s: number, e: number): number {
  let i = lastStartAtOrBelow4(t, s);
  if (i < 0 || t.end[i]! < s) return 0;
  const v = t.value[i]!;
  let covered = t.end[i]!;
  while (covered < e) {
    i++;
    if (i >= t.start.length || t.start[i] !== covered + 1 || t.value[i] !== v) return 0;
    covered = t.end[i]!;
  }
  return v;
}

/** The value of the row covering the whole /64 (hi, lo), or 0 (no row, or a row that covers only part of it). */
export function blockValue6(t: V6Table, hi: number, lo: number): number {
  const i = lastStartAtOrBelow6(t, hi, lo);
  if (i < 0 || cmp(t.endHi[i]!, t.endLo[i]!, hi, lo) < 0) return 0;
  const startsHere = t.startHi[i] === hi && t.startLo[i] === lo;
  const endsHere = t.endHi[i] === hi && t.endLo[i] === lo;
  if ((startsHere && t.partial[i]! & 1) || (endsHere && t.partial[i]! & 2)) return 0;
  // a partial row that started inside this /64 lies after row i only if it shares the start key; i is the last of those
  if (startsHere && i > 0 && t.startHi[i - 1] === hi && t.startLo[i - 1] === lo) return 0;
  return t.value[i]!;
}

/** Country codes packed into 16 bits (two ASCII letters); 0 is "none". */
export const packCountry = (cc: string): number =>
  /^[A-Z]{2}$/.test(cc) ? (cc.charCodeAt(0) << 8) | cc.charCodeAt(1) : 0;
export const unpackCountry = (v: number): string | null => (v ? String.fromCharCode(v >> 8, v & 0xff) : null);
