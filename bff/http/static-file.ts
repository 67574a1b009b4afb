/**
 * A built file served compressed (brotli or gzip, per Accept-Encoding) with a strong
 * ETag per representation, and 304 for an If-None-Match that still matches
 * (docs/security.md). Files are read and compressed once per change (size and mtime), at the
 * highest effort, and kept: the widget bundle and its chunks are a handful of files.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { encode, preferredEncoding, type Bytes, type Encoding } from './content-encoding.ts';

export interface Representation {
  body: Bytes;
  etag: string;
  encoding: Encoding | null;
}

interface Entry {
  version: string;
  identity: Bytes;
  hash: string;
  encoded: Map<Encoding, Promise<Bytes>>;
}

/** Files kept compressed in memory; a directory of more would be re-read (not expected). */
const MAX_FILES = 64;

export class StaticFiles {
  private readonly entries = new Map<string, Entry>();

  /** The representation of `path` for `acceptEncoding`; throws when the file cannot be read. */
  async get(path: string, acceptEncoding: string | undefined): Promise<Representation> {
    const entry = await this.entry(path);
    const encoding = preferredEncoding(acceptEncoding);
    if (!encoding) return { body: entry.identity, etag: `"${entry.hash}"`, encoding: null };
    let encoded = entry.encoded.get(encoding);
    if (!encoded) {
      encoded = encode(entry.identity, encoding, 'static');
      entry.encoded.set(encoding, encoded);
    }
    const body = await encoded;
    // A compressed copy not smaller than the file is not worth it.
    if (body.byteLength >= entry.identity.byteLength) return { body: entry.identity, etag: `"${entry.hash}"`, encoding: null };
    return { body, etag: `"${entry.hash}-${encoding}"`, encoding };
  }

  private async entry(path: string): Promise<Entry> {
    const info = await stat(path);
    const version = `${info.size}:${info.mtimeMs}`;
    const cached = this.entries.get(path);
    if (cached?.version === version) return cached;
    const identity = new Uint8Array(await readFile(path));
    const entry: Entry = { version, identity, hash: createHash('sha256').update(identity).digest('base64url').slice(0, 27), encoded: new Map() };
    this.entries.delete(path);
    this.entries.set(path, entry);
    if (this.entries.size > MAX_FILES) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

/** Whether an If-None-Match header names `etag` (weak or strong, or `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
