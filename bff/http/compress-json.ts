/**
 * API JSON compressed above 1 KB (docs/security.md), per the client's Accept-Encoding.
 * Only JSON answers held in memory anyway: event streams and downloads (anything
 * with Content-Disposition) pass untouched, never buffered.
 */
import type { MiddlewareHandler } from 'hono';
import { encode, preferredEncoding, varyOnEncoding, type Bytes } from './content-encoding.ts';

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\b/i;

export function compressJson(thresholdBytes = 1024): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (c.req.method === 'HEAD' || !JSON_TYPE.test(res.headers.get('content-type') ?? '')) return;
    if (res.headers.has('content-encoding') || res.headers.has('content-disposition')) return;
    const encoding = preferredEncoding(c.req.header('accept-encoding'));
    const declared = res.headers.get('content-length');
    if (!encoding || (declared !== null && Number(declared) < thresholdBytes)) {
      res.headers.set('Vary', varyOnEncoding(res.headers.get('vary')));
      return;
    }
    // `body` only now: asking for it turns @hono/node-server's string answer into a stream.
    if (!res.body) return;
    const headers = new Headers(res.headers);
    headers.set('Vary', varyOnEncoding(headers.get('vary')));
    let body: Bytes = new Uint8Array(await res.arrayBuffer());
    if (body.byteLength >= thresholdBytes) {
      body = await encode(body, encoding, 'dynamic');
      headers.set('Content-Encoding', encoding);
    }
    headers.delete('content-length');
    // Unset first: assigning over a response would carry its headers into the new one.
    c.res = undefined;
    c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
