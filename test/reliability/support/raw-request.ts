/**
 * One HTTP request on its own connection (no keep-alive agent), with the body sent
 * as is: for bodies and headers a fetch client would refuse to send or would reuse
 * a connection after.
 */
import { request } from 'node:http';
import { BOOTSTRAP_KEY } from './bff-process.ts';

/**
 * A body the server refuses before reading it (413 over the limit) ends in a reset the
 * kernel may deliver before the answer, which it then drops: take that reset as the 413.
 */
export function refusedEarlyAs413(error: NodeJS.ErrnoException): { status: number; text: string } {
  if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return { status: 413, text: `connection closed before the body was read (${error.code})` };
  throw error;
}

export function rawRequest(
  base: string,
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${BOOTSTRAP_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    // A server may answer (415, 413, 401) and close before reading a large body: the
    // write then fails with EPIPE/ECONNRESET while the answer is still on its way.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') setTimeout(() => reject(error), 1_000);
      else reject(error);
    });
    req.end(body);
  });
}
