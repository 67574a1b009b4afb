/**
 * Integration outages (issue #8 §1): the PSA and On-Call stand-ins answer 5xx, 429
 * with Retry-After, time out, drop connections, lose answers after doing the work,
 * refuse connections for a while — and every ticket and page still arrives exactly
 * once after they recover, and is resolved exactly once. A 400 is not retried and
 * shows in the integration status. Reminders, ticket notes and page re-triggers
 * (docs/alert-workflow.md) arrive exactly once through outages and repeated sweeps.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Fault } from '../../demo/standins/http-stand-in.ts';
import { figures } from './support/figures.ts';
import { T0 } from '../bff/harness.ts';
import { DAY, receiverCounts, startIntegrationFleet, type IntegrationFleet } from './support/integration-fleet.ts';

const report = figures('outages');
/** `RELIABILITY_FUZZ_SCALE=5` (npm run test:soak) tries five times as many fault plans. */
const SCALE = Number(process.env.RELIABILITY_FUZZ_SCALE ?? 1);
let fleet: IntegrationFleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

interface Outage {
  /** First dispatch round of the outage, and how many rounds it lasts. */
  from: number;
  rounds: number;
  kind: 'refuse' | 'reset';
}

/**
 * Dispatches until nothing is pending, moving the test clock to each next attempt;
 * a receiver's proxy is down during its outage rounds.
 */
async function settle(f: IntegrationFleet, outages: { psa?: Outage | null; oncall?: Outage | null } = {}): Promise<void> {
  const receivers = [
    { proxy: f.psaProxy, outage: outages.psa },
    { proxy: f.oncallProxy, outage: outages.oncall },
  ];
  for (let round = 0; round < 400; round++) {
    for (const { proxy, outage } of receivers) {
      const down = outage && round >= outage.from && round < outage.from + outage.rounds ? outage.kind : 'up';
      if (down !== proxy.mode) await (down === 'up' ? proxy.up() : down === 'refuse' ? proxy.refuse() : proxy.reset());
      if (down !== 'up') report.add('outageRounds');
    }
    await f.dispatch();
    const next = await f.nextAttemptAt();
    if (next === null) break;
    if (next > f.t.clock()) f.t.clock.set(next);
  }
  await Promise.all([f.psaProxy.up(), f.oncallProxy.up()]);
  assert.equal(await f.nextAttemptAt(), null, 'the outbox settled');
}

/** Faults answered by a stand-in so far (any non-2xx answer, a held request, a dropped connection). */
const faultsSeen = (received: { outcome: number | string }[]) => received.filter((r) => typeof r.outcome !== 'number' || r.outcome >= 300).length;

async function outboxStates(f: IntegrationFleet) {
  return f.t.db.all<{ channel: string; kind: string; status: string; attempts: number }>('SELECT channel, kind, status, attempts FROM outbox ORDER BY id');
}

function assertCreatedOnce(f: IntegrationFleet) {
  const { ticketsPerAlert, triggersPerBreach } = receiverCounts(f);
  assert.equal(ticketsPerAlert.size, f.failing.length + f.stale.length, 'one ticket per alert that maps to one');
  assert.deepEqual([...ticketsPerAlert.values()].filter((n) => n !== 1), [], 'no alert has two tickets');
  assert.equal(triggersPerBreach.size, f.stale.length, 'one page per breach');
  assert.deepEqual([...triggersPerBreach.values()].filter((n) => n !== 1), [], 'no breach paged twice');
  report.add('duplicates', f.psa.tickets.length - ticketsPerAlert.size + f.oncall.pages.filter((p) => p.action === 'trigger').length - triggersPerBreach.size);
}

function assertResolvedOnce(f: IntegrationFleet) {
  const { ticketsPerAlert, resolvesPerBreach } = receiverCounts(f);
  assert.equal(ticketsPerAlert.size, f.failing.length + f.stale.length, 'recovery opened no new ticket');
  assert.deepEqual(f.psa.tickets.filter((t) => t.status !== 'resolved').map((t) => t.id), [], 'every ticket resolved');
  assert.equal(resolvesPerBreach.size, f.stale.length);
  assert.deepEqual([...resolvesPerBreach.values()].filter((n) => n !== 1), [], 'each breach resolved once');
  assert.ok(f.oncall.incidents.every((incident) => incident.status === 'resolved'));
  report.add('duplicates', f.oncall.pages.filter((p) => p.action === 'resolve').length - resolvesPerBreach.size);
}

const httpFault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(500, 502, 503, 504).map((status) => ({ status })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 180 }).map((retryAfterSeconds) => ({ status: 429, retryAfterSeconds })) },
  { weight: 2, arbitrary: fc.constant({ drop: true as const }) },
  { weight: 2, arbitrary: fc.constant({ dropAfterProcessing: true as const }) },
  { weight: 1, arbitrary: fc.constant({ timeout: true as const }) },
);
const outage: fc.Arbitrary<Outage | null> = fc.option(
  fc.record({ from: fc.nat(3), rounds: fc.integer({ min: 1, max: 4 }), kind: fc.constantFrom('refuse' as const, 'reset' as const) }),
  { nil: null },
);
const faultPlan = fc.record({
  psaFaults: fc.array(httpFault, { maxLength: 8 }),
  oncallFaults: fc.array(httpFault, { maxLength: 6 }),
  psaOutage: outage,
  oncallOutage: outage,
  recoveryPsaFaults: fc.array(httpFault, { maxLength: 6 }),
  recoveryOncallFaults: fc.array(httpFault, { maxLength: 4 }),
  recoveryPsaOutage: outage,
});

describe('integration outages', () => {
  test('under any mix of 5xx, 429, timeouts, dropped connections, lost answers and refused connections, every ticket and page arrives once and resolves once', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(faultPlan, async (plan) => {
        runs += 1;
        fleet = await startIntegrationFleet();
        const f = fleet;
        try {
          for (const fault of plan.psaFaults) f.psa.failNext(1, fault);
          for (const fault of plan.oncallFaults) f.oncall.failNext(1, fault);
          await f.breakDevices();
          await settle(f, { psa: plan.psaOutage, oncall: plan.oncallOutage });
          assertCreatedOnce(f);

          f.psa.clearFaults();
          f.oncall.clearFaults();
          for (const fault of plan.recoveryPsaFaults) f.psa.failNext(1, fault);
          for (const fault of plan.recoveryOncallFaults) f.oncall.failNext(1, fault);
          await f.recover();
          await settle(f, { psa: plan.recoveryPsaOutage });
          assertResolvedOnce(f);

          const states = await outboxStates(f);
          assert.deepEqual(states.filter((s) => s.status !== 'delivered'), [], 'every outbox item delivered, none given up');
          report.add('faultsInjected', faultsSeen(f.psa.received) + faultsSeen(f.oncall.received));
          report.add('ticketsDelivered', f.psa.tickets.length);
          report.add('pagesDelivered', f.oncall.pages.length);
        } finally {
          await f.close();
          fleet = undefined;
        }
      }),
      { numRuns: Math.round(16 * SCALE), seed: 0x0b5e55ed, endOnFailure: true },
    );
    report.set('faultPlans', runs);
  });

  test('a PSA and an On-Call that refuse connections for an hour get every ticket and page once when they are back; meanwhile the status shows the queue and the error', async () => {
    fleet = await startIntegrationFleet();
    const f = fleet;
    await Promise.all([f.psaProxy.refuse(), f.oncallProxy.refuse()]);
    await f.breakDevices();
    const start = f.t.clock();
    // An hour of retries against closed ports.
    while (f.t.clock() < start + 3_600_000) {
      await f.dispatch();
      report.add('outageRounds');
      const next = await f.nextAttemptAt();
      assert.ok(next !== null);
      f.t.clock.set(Math.max(next, f.t.clock() + 1));
    }
    for (const channel of ['psa', 'oncall']) {
      const { json } = await f.t.request('GET', `settings/integrations/${channel}`);
      assert.equal(json.status.queueDepth, channel === 'psa' ? f.failing.length + f.stale.length : f.stale.length, `${channel} queue`);
      assert.equal(json.status.lastSuccessAt, null);
      assert.equal(json.status.failed, 0, 'an outage is retried, not given up');
      assert.match(json.status.lastError.message, /ECONNREFUSED/);
    }
    assert.equal(f.psa.received.length + f.oncall.received.length, 0);

    await settle(f);
    assertCreatedOnce(f);
    const { json } = await f.t.request('GET', 'settings/integrations/psa');
    assert.equal(json.status.queueDepth, 0);
    assert.ok(json.status.lastSuccessAt);
  });

  test('reminders, failure notes and page re-triggers arrive exactly once through a PSA outage, lost answers and repeated sweeps', async () => {
    fleet = await startIntegrationFleet();
    const f = fleet;
    const { sweeper } = f.t.services;
    await f.breakDevices();
    await settle(f);
    // A fourth failure on each failing server: a note on its open ticket.
    await f.fail(T0 + 10 * 60_000);
    const remindAt = async (at: number) => {
      f.t.clock.set(at);
      // Two sweeps and a tenant evaluation at the same moment: the reminder due is claimed once.
      await sweeper.sweep(at);
      await sweeper.sweep(at);
      await sweeper.evaluateTenant(f.t.tenant.id, at);
    };
    f.psa.failNext(2, { status: 503 });
    f.psa.failNext(2, { dropAfterProcessing: true });
    await remindAt(T0 + DAY + 60_000);
    await settle(f, { psa: { from: 0, rounds: 3, kind: 'refuse' } });
    f.psa.failNext(1, { dropAfterProcessing: true });
    f.psa.failNext(1, { status: 502 });
    await remindAt(T0 + 2 * DAY + 60_000);
    await settle(f, { psa: { from: 1, rounds: 2, kind: 'reset' } });

    for (const id of [...f.failing, ...f.stale]) {
      const type = f.failing.includes(id) ? 'Backup Failure' : 'Backup Overdue';
      const ticket = f.psa.tickets.find((candidate) => candidate.device.id === id && candidate.type === type)!;
      const notes = ticket.notes.map((note) => note.text ?? '');
      assert.equal(notes.filter((text) => text.startsWith('Reminder 1:')).length, 1, `${id}: reminder 1 once\n${notes.join('\n')}`);
      assert.equal(notes.filter((text) => text.startsWith('Reminder 2:')).length, 1, `${id}: reminder 2 once`);
      if (f.failing.includes(id)) assert.equal(notes.filter((text) => text.startsWith('Another failed backup')).length, 1, `${id}: the new failure noted once`);
      report.add('notesDelivered', notes.length);
    }
    for (const id of f.stale) {
      const summaries = f.oncall.pages.filter((page) => page.device.id === id && page.action === 'trigger').map((page) => page.summary);
      assert.deepEqual(summaries.map((summary) => summary.slice(0, 11)), ['SLA breach:', 'Reminder 1:', 'Reminder 2:'], `${id}: one page, then one re-trigger per reminder`);
    }
    const states = await outboxStates(f);
    assert.deepEqual(states.filter((s) => s.status !== 'delivered'), [], 'every outbox item delivered, none given up');
    report.add('faultsInjected', faultsSeen(f.psa.received));
  });

  test('a maintenance window that starts during a PSA outage still suppresses: tickets queued before it are delivered once, nothing new is enqueued inside it, and what still holds at its end is ticketed then', async () => {
    fleet = await startIntegrationFleet();
    const f = fleet;
    const iso = (ms: number) => new Date(ms).toISOString();
    let sequence = 0;
    const failures = (deviceId: string, at: number) =>
      [3, 2, 1].map((minutes) => ({ type: 'job', id: `mw-${deviceId}-${++sequence}`, deviceId, status: 'failed', startedAt: iso(at - minutes * 60_000 - 300_000), endedAt: iso(at - minutes * 60_000) }));
    await f.psaProxy.refuse();
    await f.breakDevices();
    const queuedBefore = f.failing.length + f.stale.length;
    for (let round = 0; round < 3; round++) {
      await f.dispatch();
      f.t.clock.set(Math.max((await f.nextAttemptAt())!, f.t.clock() + 1));
    }
    assert.equal(f.psa.received.length, 0, 'the PSA is down');

    // The window starts while the PSA is still down; two devices break inside it, one in its scope.
    const start = f.t.clock();
    const end = start + 6 * 3_600_000;
    const window = await f.t.request('PUT', 'maintenance/contoso-move', { body: { name: 'Contoso move', scope: { clientId: 'contoso' }, start: iso(start), end: iso(end) } });
    assert.equal(window.status, 201);
    for (const [id, clientId] of [['late-contoso', 'contoso'], ['late-fabrikam', 'fabrikam']]) {
      assert.equal((await f.t.request('PUT', `devices/${id}`, { body: { clientId, name: id, kind: 'server', policyId: 'daily' } })).status, 201);
    }
    f.t.clock.advance(60_000);
    assert.equal((await f.t.request('POST', 'events', { body: { events: [...failures('late-contoso', f.t.clock()), ...failures('late-fabrikam', f.t.clock())] } })).status, 202);
    const creates = await f.t.db.all<{ dedup_key: string }>("SELECT dedup_key FROM outbox WHERE channel = 'psa' AND kind = 'create'");
    assert.equal(creates.length, queuedBefore + 1, 'inside the window only the device outside its scope asked for a ticket');

    await settle(f);
    const ticketed = (device: string) => f.psa.tickets.filter((ticket) => ticket.device.id === device).length;
    assert.equal(f.psa.tickets.length, queuedBefore + 1, 'every ticket queued before the window arrived once, plus the one outside its scope');
    assert.equal(ticketed('late-contoso'), 0);
    assert.equal(ticketed('late-fabrikam'), 1);
    assertCreatedOnce({ ...f, failing: [...f.failing, 'late-fabrikam'] });

    // The window ends: the failure that still holds opens its alert and its ticket then.
    f.t.clock.set(Math.max(end, f.t.clock()));
    await f.t.services.sweeper.sweep(f.t.clock());
    await settle(f);
    assert.equal(ticketed('late-contoso'), 1);
    assert.equal(f.psa.tickets.length, queuedBefore + 2);
  });

  test('a 400 from the PSA is not retried and shows in GET /settings/integrations/psa, while the other tickets get through a 503 spell', async () => {
    // No hung requests here: a generous time limit keeps a slow machine from adding retries.
    fleet = await startIntegrationFleet({ timeoutMs: 5_000 });
    const f = fleet;
    f.psa.failNext(3, { status: 503, retryAfterSeconds: 30 });
    f.psa.failNext(1, { status: 400, body: { error: 'Ticket type "Backup Failure" is not configured in this PSA board.' } });
    await f.breakDevices();
    await settle(f);
    // A day later nothing was tried again.
    f.t.clock.advance(DAY);
    await f.dispatch();
    report.add('faultsInjected', faultsSeen(f.psa.received));

    const rejected = f.psa.received.find((r) => r.outcome === 400)!;
    assert.equal(f.psa.received.filter((r) => r.idempotencyKey === rejected.idempotencyKey).length, 4, 'three 503s, then the 400, then nothing');
    assert.equal(f.psa.tickets.length, f.failing.length + f.stale.length - 1);
    const failed = (await outboxStates(f)).filter((s) => s.status === 'failed');
    assert.deepEqual(failed, [{ channel: 'psa', kind: 'create', status: 'failed', attempts: 4 }]);

    const { status, json } = await f.t.request('GET', 'settings/integrations/psa');
    assert.equal(status, 200);
    assert.equal(json.status.failed, 1);
    assert.equal(json.status.queueDepth, 0);
    assert.match(json.status.lastError.message, /answered 400.*not configured in this PSA board/);
  });
});
