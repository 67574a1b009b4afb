/**
 * Request bodies limited while they stream in (docs/security.md). Runs after authentication,
 * so nobody without a credential gets a byte of their body read. A declared
 * Content-Length over the limit is refused before reading; a chunked body is counted
 * as the handler reads it and fails the moment it passes the limit — nothing is
 * buffered here, the handler's own parser holds the only copy.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { problemResponse, tooLarge } from './problem.ts';
import { closeInsteadOfReading } from './unread-body.ts';

export function bodyLimit(maxBytes: number, detailFor: (path: string) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.raw;
    // GET and HEAD carry no body; asking for `body` would make @hono/node-server build a full Request.
    if (raw.method === 'GET' || raw.method === 'HEAD' || !raw.body) return next();
    const detail = detailFor(c.req.path);
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      // Node's parser reads no further than a declared length.
      if (Number(declared) > maxBytes) {
        closeInsteadOfReading(c);
        throw tooLarge(detail);
      }
      return next();
    }
    let received = 0;
    let exceeded = false;
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received += chunk.byteLength;
          if (received > maxBytes) {
            exceeded = true;
            controller.error(tooLarge(detail));
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
    await next();
    // The handler's parser saw a failed read (a 400 or 500 by then): the answer is the 413.
    if (exceeded) replaceResponse(c, tooLarge(detail));
  };
}

function replaceResponse(c: Context, error: ReturnType<typeof tooLarge>): void {
  // Unset first: assigning over a response would carry its headers into the new one.
  c.res = undefined;
  c.res = problemResponse(c, error.status, error.problem);
}
