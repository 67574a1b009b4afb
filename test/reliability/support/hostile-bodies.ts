/**
 * Generated request bodies for the fuzz tests: event batches, settings documents,
 * CSV device imports and list queries, each a mix of valid input, valid input with
 * hostile fields, and plain hostile values (see hostile.ts).
 */
import fc from 'fast-check';
import { T0 } from '../../bff/harness.ts';
import { Entries, hostileString, hostileValue, mutated, object, PROTOTYPE_KEYS, serialize, type Json } from './hostile.ts';

const iso = (ms: number) => new Date(ms).toISOString();
/** The devices and clients the fuzzed app holds (one client is literally "__proto__"). */
export const DEVICES = ['srv-1', 'ws-1', 'saas-1'] as const;
export const CLIENTS = ['contoso', 'fabrikam', ...PROTOTYPE_KEYS] as const;

// ------------------------------------------------------------------ events

const pastTime = fc.integer({ min: 1, max: 20 * 24 * 60 }).map((minutes) => iso(T0 - minutes * 60_000));
const jobId = fc.stringMatching(/^[a-z0-9-]{1,6}$/).map((s) => `job-${s}`);

/** A well-formed event (hostile only in its free text) for one of `devices`. */
const wellFormedEvent = (device: fc.Arbitrary<string>): fc.Arbitrary<Record<string, Json>> => fc.oneof(
  fc.record({ id: jobId, deviceId: device, status: fc.constantFrom('success', 'warning', 'failed', 'running'), end: pastTime, bytes: fc.nat(), message: hostileString }).map(
    ({ id, deviceId, status, end, bytes, message }): Record<string, Json> => ({
      type: 'job', id: `${deviceId}:${id}`, deviceId, status, startedAt: iso(Date.parse(end) - 600_000), ...(status === 'running' ? {} : { endedAt: end }), bytes, message: message.slice(0, 4000),
    }),
  ),
  fc.record({ id: jobId, deviceId: device, at: pastTime, result: fc.constantFrom('passed', 'failed') }).map((e): Record<string, Json> => ({ type: 'dr_test', ...e, id: `${e.deviceId}:${e.id}` })),
  fc.record({ deviceId: device, at: pastTime }).map((e): Record<string, Json> => ({ type: 'checkin', ...e })),
  fc.record({ deviceId: device, at: pastTime, usedBytes: fc.nat(), quotaBytes: fc.integer({ min: 1, max: 2 ** 40 }) }).map((e): Record<string, Json> => ({ type: 'storage', ...e })),
  fc.record({ deviceId: device, at: pastTime, state: fc.constantFrom('ok', 'expired') }).map((e): Record<string, Json> => ({ type: 'saas_consent', ...e })),
);
const validEvent = wellFormedEvent(fc.constantFrom<string>(...DEVICES, 'ghost-device'));
const event: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: validEvent.map((e) => object(e)) },
  { weight: 4, arbitrary: validEvent.chain((e) => mutated(e)) },
  { weight: 1, arbitrary: hostileValue },
);
export const eventBody: fc.Arbitrary<{ body: Json; truncate: number | null }> = fc.record({
  body: fc.oneof(
    { weight: 6, arbitrary: fc.array(event, { minLength: 1, maxLength: 12 }).map((events) => object({ events })) },
    { weight: 3, arbitrary: fc.array(wellFormedEvent(fc.constantFrom<string>(...DEVICES)), { minLength: 1, maxLength: 12 }).map((events) => object({ events: events.map(object) })) },
    { weight: 2, arbitrary: event },
    { weight: 1, arbitrary: hostileValue.map((events) => new Entries([['events', events]])) },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.array(event, { minLength: 1, maxLength: 3 }).map((events) => new Entries([['events', events], ['__proto__', object({ events: [] })], ['events', events]])) },
  ),
  truncate: fc.option(fc.nat(), { freq: 8 }),
});

// ------------------------------------------------------------------ settings

const hours = fc.oneof(fc.integer({ min: 1, max: 200 }), hostileValue);
export const settingsBodies: Record<string, fc.Arbitrary<Json>> = {
  sla: fc.oneof(
    fc.record({ w: hours, s: hours, client: fc.constantFrom<string>(...CLIENTS, 'nobody'), o: hours }).chain(({ w, s, client, o }) =>
      mutated({ tenant: object({ workstationHours: w, serverHours: s }), clients: new Entries([[client, object({ serverHours: o })]]) }),
    ),
    hostileValue,
  ),
  reports: fc.oneof(
    fc.record({ recipients: fc.array(fc.oneof(fc.emailAddress(), hostileString), { maxLength: 4 }), day: fc.oneof(fc.constantFrom('monday', 'sunday'), hostileString), time: fc.oneof(fc.constant('08:00'), hostileString), zone: fc.oneof(fc.constant('Europe/Berlin'), hostileString) }).chain((r) =>
      mutated({ weeklyEnabled: true, recipients: r.recipients, deliveryDay: r.day, deliveryTime: r.time, timezone: r.zone }),
    ),
    hostileValue,
  ),
  'integrations/psa': fc.oneof(
    fc.record({ url: fc.oneof(fc.constantFrom('http://127.0.0.1:9/psa', 'javascript:alert(1)', 'file:///etc/passwd', 'http://[::1]:9', 'ftp://x'), hostileString), key: fc.oneof(fc.constant('psa-key-0123456789'), hostileString), type: hostileString, prio: fc.oneof(fc.constantFrom('Critical', 'Low'), hostileString), alert: fc.oneof(fc.constantFrom('backup_failed', 'dr_test_failed'), fc.constantFrom(...PROTOTYPE_KEYS)) }).chain((p) =>
      mutated({ enabled: false, baseUrl: p.url, integrationKey: p.key, failureThreshold: 3, mapping: new Entries([[p.alert, object({ ticketType: p.type, priority: p.prio })]]) }),
    ),
    hostileValue,
  ),
  'integrations/oncall': fc.oneof(
    fc.record({ url: fc.oneof(fc.constant('http://127.0.0.1:9/oncall'), hostileString), policy: hostileString, kinds: fc.oneof(fc.constant<Json>(['server']), hostileValue), days: fc.oneof(fc.constant<Json>([1, 2, 3]), hostileValue), zone: fc.oneof(fc.constant('America/New_York'), hostileString), start: fc.oneof(fc.constant('08:00'), hostileString) }).chain((o) =>
      mutated({ enabled: false, baseUrl: o.url, integrationKey: 'oncall-key-0123456789', escalationPolicy: o.policy, breachHoursThreshold: 6, deviceKinds: o.kinds, businessHours: object({ timezone: o.zone, days: o.days, start: o.start, end: '18:00' }) }),
    ),
    hostileValue,
  ),
};

// ------------------------------------------------------------------ CSV

const csvCell = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('dev-a', 'dev-b', 'contoso', 'fabrikam', 'daily', 'server', 'workstation', 'saas', 'Device A', '1000', '24', '') },
  { weight: 3, arbitrary: hostileString.map((s) => s.slice(0, 300)) },
  { weight: 1, arbitrary: fc.constantFrom('"unbalanced', 'a"b', '"a""b"', 'line\nbreak', 'cr\rlf', 'tab\tx', ',', '""', '\u0000') },
);
const csvColumn = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('id', 'name', 'clientId', 'kind', 'policyId', 'quotaBytes', 'clientName', 'policyName', 'intervalHours') },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, '', ' id ', '=SUM(A1)', 'id') },
);
export const quote = (cell: string, force: boolean) => (force || /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
export const csvFile = fc
  .record({
    header: fc.oneof(fc.constant<string[]>(['id', 'name', 'clientId', 'kind', 'policyId']), fc.array(csvColumn, { minLength: 1, maxLength: 10 })),
    rows: fc.array(fc.array(csvCell, { maxLength: 10 }), { maxLength: 25 }),
    quoting: fc.constantFrom('auto', 'always', 'never'),
    newline: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
  })
  .map(({ header, rows, quoting, newline, bom }) => {
    const line = (cells: string[]) => cells.map((c) => (quoting === 'never' ? c : quote(c, quoting === 'always'))).join(',');
    return (bom ? '\uFEFF' : '') + [line(header), ...rows.map(line)].join(newline);
  });
/** Well-formed files with a valid-or-not row here and there, so imports also succeed. */
export const csvMostlyValid = fc
  .array(fc.record({ id: fc.stringMatching(/^[a-z0-9]{1,8}$/), bad: fc.option(hostileString, { freq: 6 }), kind: fc.constantFrom('server', 'workstation', 'saas') }), { minLength: 1, maxLength: 20 })
  .map((rows) =>
    ['id,name,clientId,kind,policyId,quotaBytes,clientName', ...rows.map((r) => [`imp-${r.id}`, quote(r.bad ?? `Imported ${r.id}`, false), 'contoso', r.kind, 'daily', '', ''].join(','))].join('\n'),
  );

// ------------------------------------------------------------------ queries

const queryValue = fc.oneof(fc.constantFrom('contoso', 'critical,warning', 'server', 'name', 'asc', '10', '0', '-1', '501', 'NaN', '1e999'), hostileString.map((s) => s.slice(0, 3000)));
const cursorValue = fc.oneof(
  hostileString.map((s) => s.slice(0, 3000)),
  fc.tuple(fc.constantFrom('score:asc', 'name:desc', 'clients:name', 'alerts:triggeredAt', 'x'), hostileValue, hostileValue).map((parts) => Buffer.from(serialize(parts as Json[])).toString('base64url')),
);
export const listQuery = fc.record({
  path: fc.constantFrom('devices', 'clients', 'alerts', 'compliance', 'compliance/export', 'reports/weekly'),
  params: fc.dictionary(fc.constantFrom('client', 'status', 'kind', 'q', 'sort', 'order', 'limit', 'cursor', 'state', 'severity', 'type', 'device', 'format', ...PROTOTYPE_KEYS), queryValue, { maxKeys: 5 }),
  cursor: fc.option(cursorValue, { freq: 3 }),
});
