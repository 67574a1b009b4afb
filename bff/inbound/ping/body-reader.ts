/**
 * Reads a ping's request body without holding all of it: the first `keepBytes`
 * (the job's log, as Healthchecks keeps the start of a ping body) and the last
 * `tailBytes` beyond them (where restic prints its summary after many progress
 * lines). A body longer than `maxBytes` is refused.
 */

/** The parts of a body that are kept. */
export interface PingBody {
  /** The first `keepBytes`, decoded as UTF-8 (cut on a character boundary). */
  head: string;
  /** The last `tailBytes` after the head ('' when the body fits in the head). */
  tail: string;
  /** True when the body was longer than the head. */
  truncated: boolean;
  /** Size of the whole body in bytes. */
  size: number;
}

export interface BodyLimits {
  keepBytes: number;
  tailBytes: number;
  maxBytes: number;
}

/** An empty body (GET and HEAD pings). */
export const EMPTY_BODY: PingBody = { head: '', tail: '', truncated: false, size: 0 };

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/** Bytes up to `end`, shortened so that no UTF-8 character is cut in two. */
function headOf(bytes: Uint8Array, end: number): Uint8Array {
  if (end >= bytes.length) return bytes;
  let cut = end;
  while (cut > 0 && isContinuation(bytes[cut])) cut -= 1;
  return bytes.subarray(0, cut);
}

/** Bytes from the first character that starts in the last `length` bytes. */
function tailOf(bytes: Uint8Array, length: number): Uint8Array {
  let start = Math.max(0, bytes.length - length);
  while (start < bytes.length && isContinuation(bytes[start])) start += 1;
  return bytes.subarray(start);
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Reads `stream` within `limits`; 'too-large' (the rest unread) when it exceeds `maxBytes`. */
export async function readPingBody(stream: ReadableStream<Uint8Array> | null, limits: BodyLimits): Promise<PingBody | 'too-large'> {
  if (!stream) return EMPTY_BODY;
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let tail = new Uint8Array(0);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limits.maxBytes) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    let chunk = value;
    // One extra head byte shows whether the cut falls inside a character.
    if (headSize <= limits.keepBytes) {
      const room = limits.keepBytes + 1 - headSize;
      head.push(chunk.subarray(0, room));
      headSize += Math.min(room, chunk.length);
      chunk = chunk.subarray(room);
    }
    if (chunk.length > 0) tail = concat([tail, chunk], tail.length + chunk.length).slice(-(limits.tailBytes + 4));
  }
  const all = concat(head, headSize);
  const kept = headOf(all, limits.keepBytes);
  // Bytes of the head that did not fit belong before the tail.
  const rest = concat([all.subarray(kept.length), tail], all.length - kept.length + tail.length);
  const decoder = new TextDecoder('utf-8');
  return {
    head: decoder.decode(kept),
    tail: rest.length > 0 ? decoder.decode(tailOf(rest, limits.tailBytes)) : '',
    truncated: size > kept.length,
    size,
  };
}
