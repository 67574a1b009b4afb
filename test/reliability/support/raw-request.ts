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
    req.on('error', reject);
    req.end(body);
  });
}
