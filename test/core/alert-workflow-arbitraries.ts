/**
 * fast-check arbitraries for maintenance windows, silences and alert workflows
 * around NOW, over a few timezones with DST (and Lord Howe's half-hour change).
 */
import fc from 'fast-check';
import { DAY, HOUR, type AlertType, type AlertWorkflow, type MaintenanceScope, type MaintenanceSubject, type MaintenanceWindow, type Silence } from '../../core/index.ts';
import { NOW } from './builders.ts';

const noNull = { noNullPrototype: true } as const;

export const DEVICES = ['ws-1', 'ws-2', 'srv-1'] as const;
export const CLIENTS = ['acme', 'globex'] as const;
export const POLICIES = ['daily', 'hourly'] as const;
export const TIMEZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'] as const;
const TYPES: AlertType[] = ['backup_failed', 'backup_overdue', 'dr_test_failed'];

/** An evaluation time within 40 days after NOW (spans both 2026 autumn changes and month ends). */
export const timeArb = fc.integer({ min: NOW - 40 * DAY, max: NOW + 40 * DAY });

export const subjectArb: fc.Arbitrary<MaintenanceSubject> = fc.record(
  { deviceId: fc.constantFrom(...DEVICES), clientId: fc.constantFrom(...CLIENTS), policyId: fc.constantFrom(...POLICIES) },
  noNull,
);

const scopeArb: fc.Arbitrary<MaintenanceScope> = fc
  .record(
    {
      clientId: fc.option(fc.constantFrom(...CLIENTS), { nil: undefined }),
      deviceIds: fc.option(fc.subarray([...DEVICES], { minLength: 1 }), { nil: undefined }),
      policyId: fc.option(fc.constantFrom(...POLICIES), { nil: undefined }),
    },
    { ...noNull, requiredKeys: [] },
  )
  .map((scope) => Object.fromEntries(Object.entries(scope).filter(([, value]) => value !== undefined)) as MaintenanceScope)
  .filter((scope) => Object.keys(scope).length > 0);

const clockArb = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

/**
 * Recurring windows last at most 6 h and one-off windows at most 3 days, so the
 * windows of one device can only chain a few times (the property follows every
 * boundary up to the end).
 */
const timingArb = fc.oneof(
  fc.record({ start: timeArb, minutes: fc.integer({ min: 1, max: 3 * 24 * 60 }) }, noNull).map(({ start, minutes }) => ({ start, end: start + minutes * 60_000 })),
  fc.record(
    { weekly: fc.record({ days: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), start: clockArb, durationMinutes: fc.integer({ min: 1, max: 360 }) }, noNull), timezone: fc.constantFrom(...TIMEZONES) },
    noNull,
  ),
  fc.record(
    {
      monthly: fc.record({ days: fc.subarray([1, 2, 15, 28, 29, 30, 31, -1], { minLength: 1 }), start: clockArb, durationMinutes: fc.integer({ min: 1, max: 360 }) }, noNull),
      timezone: fc.constantFrom(...TIMEZONES),
    },
    noNull,
  ),
);

export const windowArb: fc.Arbitrary<MaintenanceWindow> = fc
  .record({ id: fc.uuid(), name: fc.constantFrom('Patch night', 'Server move', 'Month end'), scope: scopeArb, timing: timingArb }, noNull)
  .map(({ timing, ...rest }) => ({ ...rest, ...timing }) as MaintenanceWindow);

/** Up to three windows of each kind. */
export const windowsArb = fc.array(windowArb, { maxLength: 3 });

export const silenceArb: fc.Arbitrary<Silence> = fc
  .record(
    {
      id: fc.uuid(),
      matchers: fc.constantFrom<Silence['matchers']>({ clientId: 'acme' }, { deviceId: 'ws-1' }, { type: 'backup_failed' }, { clientId: 'globex', type: 'dr_test_failed' }),
      startsAt: timeArb,
      hours: fc.integer({ min: 1, max: 10 * 24 }),
    },
    noNull,
  )
  .map(({ hours, ...rest }) => ({ ...rest, endsAt: rest.startsAt + hours * HOUR, comment: 'Planned work', createdBy: 'jamie' }));

export const alertTypeArb = fc.constantFrom(...TYPES);

/** An alert that is not resolved yet, in any severity, acknowledged or not. */
export const activeWorkflowArb: fc.Arbitrary<AlertWorkflow> = fc
  .record({ severity: fc.constantFrom('warning' as const, 'critical' as const), acknowledged: fc.boolean(), since: timeArb }, noNull)
  .map(({ severity, acknowledged, since }) =>
    acknowledged
      ? { state: 'acknowledged', severity, acknowledgement: { by: 'jamie', at: since, note: null }, remindFrom: null }
      : { state: 'open', severity, acknowledgement: null, remindFrom: since },
  );
