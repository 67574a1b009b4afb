import type { BhElement } from './base-element.ts';
import type { ExportDetail } from './events.ts';

/** Saves a Blob as a file through a temporary object-URL link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Announces an export with a cancelable `bh-export` and downloads the file unless a
 * listener called `preventDefault()` (e.g. a sandboxed portal that stores it itself).
 */
export function deliverExport(host: BhElement, detail: ExportDetail): void {
  if (host.emit('bh-export', detail, { cancelable: true })) saveBlob(detail.blob, detail.filename);
}

/** `2026-11-24` in the viewer's timezone, for file names. */
export function localDateStamp(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
