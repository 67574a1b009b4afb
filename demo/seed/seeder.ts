/**
 * Seeds the demo fleet through the public HTTP API, as an RMM integration would:
 * `PUT` clients, policies and devices, then `POST /events` in batches of up to
 * 5,000 (each device's events in time order, never split across batches, so no
 * device is evaluated on half its history).
 */
import type { ApiClient } from '../api-client.ts';
import type { IngestEvent } from './events.ts';
import type { Fleet } from './fleet.ts';
import { deviceHistory, type HistoryOptions } from './history.ts';
import { createRandom } from './random.ts';

/** The most events `POST /events` takes in one batch. */
export const MAX_BATCH = 5_000;

export interface SeedProgress {
  phase: 'inventory' | 'history';
  /** 0–100 over the whole seed. */
  percent: number;
  devices: number;
  eventsSent: number;
  eventsTotal: number;
}

export interface SeedResult {
  clients: number;
  devices: number;
  events: number;
  accepted: number;
  duplicates: number;
  milliseconds: number;
}

export interface SeedOptions {
  /** The history ends here (epoch ms); it must not be in the server's future. */
  now: number;
  seed?: number;
  history?: HistoryOptions;
  onProgress?: (progress: SeedProgress) => void;
  /** Stops between requests (the demo is shutting down). */
  signal?: AbortSignal;
  /** Parallel inventory PUTs (default 8). */
  concurrency?: number;
  /** Runs before the devices are enrolled (the demo sets the BFF's clock back: enrolment-clock.ts). */
  beforeInventory?: () => void | Promise<void>;
  /** Runs after the inventory exists and before any event (settings that name clients). */
  afterInventory?: () => Promise<void>;
}

/** Inventory takes this share of the progress bar; history the rest. */
const INVENTORY_SHARE = 5;

export async function seedFleet(api: ApiClient, fleet: Fleet, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const random = createRandom(options.seed ?? 7);
  const histories = fleet.devices.map((device) => deviceHistory(device, options.now, random.fork(device.id), options.history));
  const eventsTotal = histories.reduce((sum, events) => sum + events.length, 0);
  const report = (phase: SeedProgress['phase'], percent: number, eventsSent: number) =>
    options.onProgress?.({ phase, percent: Math.min(100, Math.round(percent)), devices: fleet.devices.length, eventsSent, eventsTotal });

  const checkAborted = () => {
    if (options.signal?.aborted) throw new Error('Seeding was stopped.');
  };

  for (const client of fleet.clients) {
    checkAborted();
    await api.put(`/clients/${encodeURIComponent(client.id)}`, { name: client.name, timezone: client.timezone });
  }
  for (const { id, ...policy } of fleet.policies) await api.put(`/policies/${encodeURIComponent(id)}`, policy);
  await options.beforeInventory?.();
  let enrolled = 0;
  await inParallel(fleet.devices, options.concurrency ?? 8, async (device) => {
    checkAborted();
    await api.put(`/devices/${encodeURIComponent(device.id)}`, {
      clientId: device.clientId,
      name: device.name,
      kind: device.kind,
      policyId: device.policyId,
      ...(device.quotaBytes !== null ? { quotaBytes: device.quotaBytes } : {}),
    });
    enrolled++;
    if (enrolled % 50 === 0) report('inventory', (enrolled / fleet.devices.length) * INVENTORY_SHARE, 0);
  });
  await options.afterInventory?.();
  report('inventory', INVENTORY_SHARE, 0);

  let sent = 0;
  let accepted = 0;
  let duplicates = 0;
  for (const batch of batches(histories, MAX_BATCH)) {
    checkAborted();
    const answer = await api.post('/events?wait=evaluated', { events: batch });
    accepted += answer.accepted;
    duplicates += answer.duplicates;
    sent += batch.length;
    report('history', INVENTORY_SHARE + (sent / Math.max(1, eventsTotal)) * (100 - INVENTORY_SHARE), sent);
  }
  return {
    clients: fleet.clients.length,
    devices: fleet.devices.length,
    events: eventsTotal,
    accepted,
    duplicates,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** Groups whole device histories into batches of at most `max` events. */
export function* batches(histories: readonly IngestEvent[][], max: number): Generator<IngestEvent[]> {
  let batch: IngestEvent[] = [];
  for (const events of histories) {
    if (events.length === 0) continue;
    if (batch.length + events.length > max && batch.length > 0) {
      yield batch;
      batch = [];
    }
    // A single history longer than a batch (not in this fleet) is split in time order.
    for (let i = 0; i < events.length; i += max) {
      const part = events.slice(i, i + max);
      if (part.length === max) yield part;
      else batch.push(...part);
    }
  }
  if (batch.length > 0) yield batch;
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
