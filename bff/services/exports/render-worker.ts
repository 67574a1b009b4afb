/**
 * A render thread of the RenderPool: turns a compliance report into its PDF or CSV
 * off the event loop. Started with the `--import tsx` of the parent under tests and
 * `serve:dev`, and as dist/server/render-worker.js when compiled
 * (scripts/build-server.mjs).
 */
import { parentPort } from 'node:worker_threads';
import { complianceCsv } from './csv.ts';
import { compliancePdf } from './pdf.ts';
import type { RenderReply, RenderRequest } from './render-pool.ts';

const port = parentPort!;
port.on('message', (request: RenderRequest) => {
  render(request).then(
    (output) => port.postMessage({ id: request.id, output } satisfies RenderReply),
    (error: unknown) => port.postMessage({ id: request.id, error: String((error as Error)?.stack ?? error) } satisfies RenderReply),
  );
});

async function render({ job }: RenderRequest): Promise<Uint8Array<ArrayBuffer> | string> {
  if (job.format === 'csv') return complianceCsv(job.report);
  const pdf = await compliancePdf(job.report);
  return new Uint8Array(pdf.buffer as ArrayBuffer, pdf.byteOffset, pdf.byteLength);
}
