/**
 * A request refused before its body was read (401, 429, 413 on a declared length)
 * should not cost the server that body. @hono/node-server drains an unread body for
 * up to 500 ms to keep the connection reusable — 60 refused uploads at loopback speed
 * are seconds of CPU. Instead, once the answer is sent, the socket stops reading (TCP
 * flow control holds the sender) and the drain's own timer closes it shortly after,
 * when the client has read the answer. (Not `Connection: close`: Node would then close
 * at once, and closing a socket with unread data sends a reset that can overtake the
 * answer.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** Below this, reading the rest of a refused body is cheaper than a connection the client cannot reuse. */
const SMALL_BODY_BYTES = 64 * 1024;

/** Whether the request announces a body that is chunked (of unknown length) or not small. */
function hasCostlyBody(c: Context): boolean {
  const length = c.req.header('content-length');
  return c.req.header('transfer-encoding') !== undefined || (length !== undefined && Number(length) > SMALL_BODY_BYTES);
}

/**
 * Closes the connection after the answer instead of reading the rest of a chunked or
 * large body; a small one is drained as usual, so the client may reuse the connection.
 */
export function closeInsteadOfReading(c: Context): void {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  const { incoming, outgoing } = env ?? {};
  if (!incoming || !outgoing || !hasCostlyBody(c)) return;
  outgoing.once('finish', () =>
    // After the server's own drain hook resumed reading (same 'finish'): stop it again.
    setImmediate(() => {
      incoming.pause();
      incoming.socket.pause();
      setTimeout(() => incoming.socket.destroy(), 1_000).unref();
    }),
  );
}
