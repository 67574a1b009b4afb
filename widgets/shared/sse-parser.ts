/** One dispatched Server-Sent Event. */
export interface SseMessage {
  /** `message` when the server named none. */
  event: string;
  data: string;
  /** The last event id seen so far (it persists across events, per the spec). */
  id: string | null;
}

/**
 * An incremental parser for `text/event-stream` (WHATWG HTML §9.2.6). Feed it decoded
 * text as it arrives: chunks may end anywhere, inside a line or between the CR and LF
 * of a CRLF. Comment lines (`: ping`) are heartbeats and yield nothing.
 */
export class SseParser {
  #pending = '';
  #crEndedLastChunk = false;
  #data: string[] = [];
  #event = '';
  #id: string | null = null;
  /** The server's `retry:` advice in milliseconds, if it gave one. */
  retry: number | null = null;

  /** Parses `chunk` and answers every event it completed. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    // A CR ended the previous chunk; an LF starting this one belongs to the same CRLF.
    if (this.#crEndedLastChunk && text.startsWith('\n')) text = text.slice(1);
    this.#crEndedLastChunk = text.endsWith('\r');
    const lines = (this.#pending + text).split(/\r\n|\r|\n/);
    // The last piece has no line ending yet (or is empty after a final line ending).
    this.#pending = lines.pop() ?? '';
    const messages: SseMessage[] = [];
    for (const line of lines) {
      const message = this.#line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  #line(line: string): SseMessage | null {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the spec requires.
    }
    return null;
  }

  #dispatch(): SseMessage | null {
    const event = this.#event || 'message';
    const data = this.#data;
    this.#event = '';
    this.#data = [];
    return data.length === 0 ? null : { event, data: data.join('\n'), id: this.#id };
  }
}
