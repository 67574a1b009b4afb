/**
 * One HTTP request on its own connection (no keep-alive agent), with the body sent
 * as is: for bodies and headers a fetch client would refuse to send or would reuse
 * a connection after.
 */
import { request } from 'node:http';
import { BOOTSTRAP_KEY } from './bff-process.ts';

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
