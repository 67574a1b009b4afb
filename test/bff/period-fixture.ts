/**
 * A client with known breach intervals across the October 2026 DST change in Berlin
 * (745 hours in the month): SRV Steady backs up every 10 h all month; SRV Gap on the
 * same 12 h server SLA misses everything between Sat 24 Oct 02:00 UTC and Mon 26 Oct
 * 02:00 UTC, so it is in breach from 24 Oct 14:00 UTC (16:00 CEST) to 26 Oct 02:00 UTC
 * (03:00 CET): 36 h. By hand: SRV Gap 709/745 = 95.2 %, the client 1454/1490 = 97.6 %.
 */
import { job, ok, postEvents, putDevice, putPolicy } from './fleet.ts';
import { HOUR, type TestApp } from './harness.ts';

const utc = (iso: string) => Date.parse(iso);
/** A moment in November: `period=month` is October in Berlin. */
export const BERLIN_NOW = utc('2026-11-10T09:00:00Z');

/** Seeds the client `berlin` (the test app's clock must be before 29 Sep 2026); leaves the clock at BERLIN_NOW. */
export async function seedBerlinOctober(t: TestApp): Promise<void> {
  t.clock.set(utc('2026-09-28T00:00:00Z'));
  await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
  await putPolicy(t, 'ten-hourly', 10);
  await putDevice(t, 'srv-steady', { clientId: 'berlin', name: 'SRV Steady', kind: 'server', policyId: 'ten-hourly' });
  await putDevice(t, 'srv-gap', { clientId: 'berlin', name: 'SRV Gap', kind: 'server', policyId: 'ten-hourly' });
  t.clock.set(BERLIN_NOW);
  const events = [];
  for (let at = utc('2026-09-29T00:00:00Z'); at < BERLIN_NOW; at += 10 * HOUR) {
    events.push(job('srv-steady', 'success', at));
    if (at <= utc('2026-10-24T02:00:00Z') || at >= utc('2026-10-26T02:00:00Z')) events.push(job('srv-gap', 'success', at));
  }
  events.push(job('srv-gap', 'success', utc('2026-10-24T02:00:00Z')), job('srv-gap', 'success', utc('2026-10-26T02:00:00Z')));
  await postEvents(t, events);
}
