import type { ApiClient, ExportFormat } from './api-client.ts';
import type { Api } from './api-types.ts';
import type { BhElement } from './base-element.ts';
import { deliverExport } from './download.ts';
import type { CompliancePeriodQuery } from './events.ts';

// Loaded on the first export (see compliance-export.ts): a download is rare, the entry
// bundle every embed fetches is not.

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** The QBR/audit report as a file (a link cannot carry the bearer, so fetch + Blob): the state at now, or over `period`. */
export async function exportCompliance(api: ApiClient, format: ExportFormat, clientId?: string, period?: CompliancePeriodQuery): Promise<DownloadedFile> {
  const response = await api.request('GET', '/compliance/export' satisfies keyof Api, {
    query: { ...period, format, client: clientId },
    accept: format === 'csv' ? 'text/csv' : 'application/pdf',
  });
  const fallback = `backup-compliance${clientId ? `-${clientId}` : ''}.${format}`;
  return { blob: await response.blob(), filename: filenameFrom(response.headers.get('content-disposition')) ?? fallback };
}

/** Fetches the report and hands it over (`bh-export`, then a download unless prevented). */
export async function downloadCompliance(host: BhElement, api: ApiClient, format: ExportFormat, clientId?: string, period?: CompliancePeriodQuery): Promise<void> {
  const file = await exportCompliance(api, format, clientId, period);
  deliverExport(host, { report: 'compliance', format, filename: file.filename, blob: file.blob, ...(clientId ? { clientId } : {}), ...(period ? { period } : {}) });
}

/** `attachment; filename="report.csv"` → `report.csv` (RFC 6266, plain and `filename*`). */
export function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim().replace(/^"|"$/g, ''));
    } catch {
      // Malformed encoding: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  return plain ? (plain[2] ?? plain[1]!).trim() : null;
}
