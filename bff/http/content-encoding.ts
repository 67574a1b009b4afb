/**
 * Response compression shared by the static widget files and API JSON (docs/security.md, "Compression and caching"):
 * the encoding a client prefers (brotli, then gzip) and the compression itself, on
 * zlib's thread pool so the event loop stays free.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The encoding to answer with for `Accept-Encoding`: br over gzip at equal weight; null for none. */
export function preferredEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) weights.set(name, q === undefined ? 1 : Number(q) || 0);
  }
  const weight = (name: Encoding) => weights.get(name) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((name) => weight(name) > 0).sort((a, b) => weight(b) - weight(a))[0];
  return best ?? null;
}

/**
 * `body` compressed with `encoding`. `effort` 'static' squeezes hardest (files
 * compressed once and kept); 'dynamic' is quick (a response compressed per request).
 */
export async function encode(body: Uint8Array, encoding: Encoding, effort: 'static' | 'dynamic'): Promise<Bytes> {
  const out =
    encoding === 'br'
      ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: effort === 'static' ? constants.BROTLI_MAX_QUALITY : 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
      : await gzipAsync(body, { level: effort === 'static' ? constants.Z_BEST_COMPRESSION : constants.Z_DEFAULT_COMPRESSION });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength) as Bytes;
}

/** Bytes a Response can carry (zlib's Buffers are typed over any ArrayBuffer). */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Adds Accept-Encoding to a Vary header value. */
export function varyOnEncoding(vary: string | null): string {
  if (!vary) return 'Accept-Encoding';
  return /(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary) ? vary : `${vary}, Accept-Encoding`;
}
