/**
 * Split a byte stream into lines WITHOUT decoding it first, so one broken UTF-8 sequence spoils only its
 * own line (strict decoding happens per line) and an over-long line is detected without buffering it.
 * Line ends: "\n", "\r\n", and — for SSE — a lone "\r".
 */
export type ByteLine = { bytes: Uint8Array; tooLong: false } | { bytes: null; tooLong: true; size: number };

export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  opts: { maxLineBytes: number; loneCr?: boolean },
): AsyncGenerator<ByteLine> {
  let parts: Uint8Array[] = [];
  let size = 0;
  let overflow = false;
  let skipLf = false;
  const finish = (): ByteLine => {
    const line: ByteLine = overflow
      ? { bytes: null, tooLong: true, size }
      : { bytes: parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts), tooLong: false };
    parts = [];
    size = 0;
    overflow = false;
    return line;
  };
  const add = (piece: Uint8Array) => {
    size += piece.byteLength;
    if (size > opts.maxLineBytes) {
      overflow = true;
      parts = [];
    } else if (piece.byteLength > 0) parts.push(piece);
  };
  for await (const chunk of chunks) {
    let start = 0;
    if (!opts.loneCr) {
      // "\n" only (a CR before it stays in the line; see the end): let indexOf find the line ends
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
        add(chunk.subarray(start, i));
        yield finish();
        start = i + 1;
      }
      if (start < chunk.length) add(chunk.subarray(start));
      continue;
    }
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (skipLf) {
        skipLf = false;
        if (b === 0x0a) {
          start = i + 1;
          continue;
        }
      }
      if (b === 0x0a || (b === 0x0d && opts.loneCr)) {
        add(chunk.subarray(start, i));
        yield finish();
        start = i + 1;
        if (b === 0x0d) skipLf = true;
      }
    }
    if (start < chunk.length) add(chunk.subarray(start));
  }
  if (size > 0 || overflow) {
    const last = finish();
    // a trailing "\r" without "\n" (non-SSE) is part of a CRLF file's last line
    if (last.bytes && !opts.loneCr && last.bytes[last.bytes.length - 1] === 0x0d) yield { bytes: last.bytes.subarray(0, -1), tooLong: false };
    else yield last;
  }
}

/** Strip one trailing "\r" (CRLF files read with \n splitting). */
export function stripCr(bytes: Uint8Array): Uint8Array {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
}
