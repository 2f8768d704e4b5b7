import { decodeUtf8 } from './limits';
import type { ByteLine } from './lines';

/**
 * Server-Sent Events parsing per the WHATWG HTML "event stream interpretation", fed one line at a time:
 * `data:` lines accumulate (joined by "\n"), `id:` sets the last event id (ignored when it contains NUL),
 * `event:` sets the type, `retry:` the reconnection delay, lines starting with ":" are comments, and a
 * blank line dispatches. A line that is not valid UTF-8 or too long spoils its event (`broken`).
 */
export interface SseEvent {
  /** the last event id after this event (ids persist across events, as in EventSource) */
  id: string | null;
  type: string;
  data: string;
  broken: 'utf8' | 'too-long' | 'too-large' | null;
  /** data size in bytes (approximate for broken events) */
  size: number;
}

export class SseParser {
  lastEventId: string | null;
  /** the latest `retry:` value, in ms */
  retryMs: number | null = null;
  private data: string[] = [];
  private dataSize = 0;
  private type = '';
  private broken: SseEvent['broken'] = null;
  private sawField = false;

  constructor(
    lastEventId: string | null = null,
    private readonly maxEventBytes = 1024 * 1024,
  ) {
    this.lastEventId = lastEventId;
  }

  /** Feed one line; returns an event when the line is the blank line that dispatches one. */
  push(line: ByteLine): SseEvent | null {
    if (line.tooLong) {
      this.broken ??= 'too-long';
      this.sawField = true;
      this.dataSize += line.size;
      return null;
    }
    const text = decodeUtf8(line.bytes);
    if (text === null) {
      this.broken ??= 'utf8';
      this.sawField = true;
      this.dataSize += line.bytes.byteLength;
      return null;
    }
    if (text === '') return this.dispatch();
    if (text.startsWith(':')) return null;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.sawField = true;
        this.dataSize += line.bytes.byteLength;
        if (this.dataSize > this.maxEventBytes) this.broken ??= 'too-large';
        else this.data.push(value);
        break;
      case 'event':
        this.type = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d{1,9}$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const event: SseEvent = {
      id: this.lastEventId,
      type: this.type || 'message',
      data: this.data.join('\n'),
      broken: this.broken,
      size: this.dataSize,
    };
    const hadData = this.sawField;
    this.data = [];
    this.dataSize = 0;
    this.type = '';
    this.broken = null;
    this.sawField = false;
    return hadData ? event : null;
  }
}
