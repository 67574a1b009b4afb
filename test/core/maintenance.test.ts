import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeMaintenance,
  HOUR,
  isInMaintenance,
  maintenanceRanges,
  maintenanceWindowIssues,
  nextMaintenanceBoundary,
  timeInMaintenance,
  upcomingOccurrences,
  windowApplies,
  windowsInPeriod,
  type MaintenanceSubject,
  type MaintenanceWindow,
  type MaintenanceWindowInput,
} from '../../core/index.ts';

/** 2026-11-<day> <hour>:<minute> UTC; 2026-11-24 is a Tuesday. */
const nov = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour, minute);

const device: MaintenanceSubject = { deviceId: 'ws-1', clientId: 'acme', policyId: 'daily' };
const once = (start: number, end: number, overrides: Partial<MaintenanceWindow> = {}): MaintenanceWindow =>
  ({ id: 'once', name: 'Server move', scope: { clientId: 'acme' }, start, end, ...overrides }) as MaintenanceWindow;
/** Tuesdays and Thursdays 22:00 UTC for two hours, Acme. */
const patchNight: MaintenanceWindow = {
  id: 'patch',
  name: 'Patch night',
  scope: { clientId: 'acme' },
  weekly: { days: [2, 4], start: '22:00', durationMinutes: 120 },
  timezone: 'UTC',
};

describe('maintenance window scope', () => {
  test('a client scope covers only that client’s devices', () => {
    assert.equal(windowApplies(patchNight, device), true);
    assert.equal(windowApplies(patchNight, { ...device, clientId: 'globex' }), false);
  });

  test('a client and a policy together cover only that client’s devices on that policy', () => {
    const window = { scope: { clientId: 'acme', policyId: 'hourly' } };
    assert.equal(windowApplies(window, device), false);
    assert.equal(windowApplies(window, { ...device, policyId: 'hourly' }), true);
    assert.equal(windowApplies(window, { ...device, clientId: 'globex', policyId: 'hourly' }), false);
  });

  test('a device list covers exactly the listed devices', () => {
    const window = { scope: { deviceIds: ['ws-1', 'srv-9'] } };
    assert.equal(windowApplies(window, device), true);
    assert.equal(windowApplies(window, { ...device, deviceId: 'ws-2' }), false);
  });

  test('an empty scope covers no device', () => {
    assert.equal(windowApplies({ scope: {} }, device), false);
  });
});

describe('when a window covers a device', () => {
  test('a one-off window covers from its start up to, not including, its end', () => {
    const window = once(nov(24, 10), nov(24, 14));
    assert.equal(isInMaintenance(device, [window], nov(24, 10) - 1), false);
    assert.equal(isInMaintenance(device, [window], nov(24, 10)), true);
    assert.equal(isInMaintenance(device, [window], nov(24, 14) - 1), true);
    assert.equal(isInMaintenance(device, [window], nov(24, 14)), false);
  });

  test('a weekly window recurs on its days only', () => {
    assert.equal(isInMaintenance(device, [patchNight], nov(24, 22, 30)), true, 'Tuesday');
    assert.equal(isInMaintenance(device, [patchNight], nov(25, 22, 30)), false, 'Wednesday');
    assert.equal(isInMaintenance(device, [patchNight], nov(26, 22, 30)), true, 'Thursday');
    assert.equal(isInMaintenance(device, [patchNight], nov(24, 21, 59)), false, 'before the start');
  });

  test('a window that starts late in the evening runs on past midnight', () => {
    assert.equal(isInMaintenance(device, [patchNight], nov(25, 0, 0) - 1), true);
    assert.equal(isInMaintenance(device, [patchNight], nov(25, 0, 0)), false);
    const longer = { ...patchNight, weekly: { ...patchNight.weekly, durationMinutes: 180 } };
    assert.equal(isInMaintenance(device, [longer], nov(25, 0, 30)), true);
  });

  test('a device outside the scope is not in maintenance during the window', () => {
    assert.equal(isInMaintenance({ ...device, clientId: 'globex' }, [patchNight], nov(24, 22, 30)), false);
  });
});

describe('active maintenance and its end', () => {
  test('a device in a window shows the window’s name and when it ends', () => {
    assert.deepEqual(activeMaintenance(device, [patchNight], nov(24, 23)), {
      id: 'patch',
      name: 'Patch night',
      until: nov(25, 0),
      windows: [{ id: 'patch', name: 'Patch night', until: nov(25, 0) }],
    });
    assert.equal(activeMaintenance(device, [patchNight], nov(24, 12)), null);
  });

  test('back-to-back windows keep the device in maintenance until the last one ends', () => {
    const after = once(nov(25, 0), nov(25, 3), { id: 'after', name: 'Storage upgrade' });
    const active = activeMaintenance(device, [patchNight, after], nov(24, 23))!;
    assert.equal(active.until, nov(25, 3));
    assert.deepEqual(active.windows.map((w) => w.id), ['patch']);
  });

  test('of two overlapping windows the longer one names the maintenance', () => {
    const long = once(nov(24, 20), nov(25, 6), { id: 'long', name: 'Datacenter move' });
    const active = activeMaintenance(device, [patchNight, long], nov(24, 23))!;
    assert.deepEqual([active.name, active.until], ['Datacenter move', nov(25, 6)]);
    assert.deepEqual(active.windows.map((w) => w.id), ['long', 'patch']);
  });
});

describe('the next maintenance boundary', () => {
  test('inside a window the next boundary is its end, so the device is evaluated again then', () => {
    assert.equal(nextMaintenanceBoundary(device, [patchNight], nov(24, 22, 30)), nov(25, 0));
  });

  test('outside windows the next boundary is the next start', () => {
    assert.equal(nextMaintenanceBoundary(device, [patchNight], nov(24, 12)), nov(24, 22));
    assert.equal(nextMaintenanceBoundary(device, [patchNight], nov(25, 0)), nov(26, 22));
  });

  test('a past one-off window has no boundary ahead, and out-of-scope windows none at all', () => {
    assert.equal(nextMaintenanceBoundary(device, [once(nov(20, 1), nov(20, 2))], nov(24, 12)), null);
    assert.equal(nextMaintenanceBoundary({ ...device, clientId: 'globex' }, [patchNight], nov(24, 12)), null);
  });

  test('the soonest boundary of several windows wins', () => {
    const soon = once(nov(24, 14), nov(24, 15), { id: 'soon' });
    assert.equal(nextMaintenanceBoundary(device, [patchNight, soon], nov(24, 12)), nov(24, 14));
    assert.equal(nextMaintenanceBoundary(device, [patchNight, soon], nov(24, 14, 30)), nov(24, 15));
  });
});

describe('occurrences for the settings list', () => {
  test('upcoming occurrences list the current one first, then the next ones', () => {
    assert.deepEqual(upcomingOccurrences(patchNight, nov(24, 23), 3), [
      { start: nov(24, 22), end: nov(25, 0) },
      { start: nov(26, 22), end: nov(27, 0) },
      { start: Date.UTC(2026, 11, 1, 22), end: Date.UTC(2026, 11, 2, 0) },
    ]);
  });

  test('a one-off window lists itself until it has ended', () => {
    const window = once(nov(24, 10), nov(24, 14));
    assert.deepEqual(upcomingOccurrences(window, nov(24, 9), 5), [{ start: nov(24, 10), end: nov(24, 14) }]);
    assert.deepEqual(upcomingOccurrences(window, nov(24, 14), 5), []);
  });
});

describe('time inside windows (compliance leaves it out)', () => {
  test('overlapping windows count once, clipped to the span', () => {
    const move = once(nov(24, 23), nov(25, 2), { id: 'move' });
    // Tuesday 22:00–00:00 and 23:00–02:00 merge into 22:00–02:00; the span cuts it at 01:00.
    assert.deepEqual(maintenanceRanges(device, [patchNight, move], nov(24, 12), nov(25, 1)), [{ start: nov(24, 22), end: nov(25, 1) }]);
    assert.equal(timeInMaintenance(device, [patchNight, move], nov(24, 12), nov(25, 1)), 3 * HOUR);
  });

  test('a week holds two patch nights of two hours', () => {
    assert.equal(timeInMaintenance(device, [patchNight], nov(23, 0), nov(30, 0)), 4 * HOUR);
  });

  test('an empty or reversed span holds no maintenance', () => {
    assert.equal(timeInMaintenance(device, [patchNight], nov(24, 23), nov(24, 23)), 0);
    assert.equal(timeInMaintenance(device, [patchNight], nov(25, 0), nov(24, 22)), 0);
  });
});

describe('maintenance window validation names the field', () => {
  const valid: MaintenanceWindowInput = { name: 'Patch night', scope: { clientId: 'acme' }, weekly: { days: [2], start: '22:00', durationMinutes: 120 }, timezone: 'Europe/Berlin' };
  const paths = (input: MaintenanceWindowInput) => maintenanceWindowIssues(input).map((issue) => issue.path);

  test('a complete window has no issues', () => {
    assert.deepEqual(maintenanceWindowIssues(valid), []);
    assert.deepEqual(maintenanceWindowIssues({ name: 'Move', scope: { deviceIds: ['a'] }, start: nov(24, 1), end: nov(24, 2) }), []);
    assert.deepEqual(maintenanceWindowIssues({ name: 'Month end', scope: { policyId: 'daily' }, monthly: { days: [1, 15, -1], start: '00:00', durationMinutes: 60 }, timezone: 'UTC' }), []);
  });

  test('a one-off window must end after it starts', () => {
    assert.deepEqual(maintenanceWindowIssues({ name: 'Move', scope: { clientId: 'acme' }, start: nov(24, 2), end: nov(24, 2) }), [{ path: 'end', message: 'end must be after start' }]);
  });

  test('a scope must name something, so a window never covers a whole tenant by accident', () => {
    assert.deepEqual(paths({ ...valid, scope: {} }), ['scope']);
    assert.deepEqual(paths({ ...valid, scope: { deviceIds: [] } }), ['scope.deviceIds']);
    assert.deepEqual(paths({ ...valid, scope: { clientId: ' ' } }), ['scope.clientId']);
  });

  test('days, start, duration and timezone are checked with the field named', () => {
    assert.deepEqual(paths({ ...valid, weekly: { days: [0, 8], start: '22:00', durationMinutes: 60 } }), ['weekly.days']);
    assert.deepEqual(paths({ ...valid, weekly: { days: [], start: '24:00', durationMinutes: 0 } }), ['weekly.days', 'weekly.start', 'weekly.durationMinutes']);
    assert.deepEqual(paths({ ...valid, weekly: { days: [1], start: '9:5', durationMinutes: 7 * 24 * 60 + 1 } }), ['weekly.start', 'weekly.durationMinutes']);
    assert.deepEqual(paths({ ...valid, timezone: 'Mars/Olympus' }), ['timezone']);
    const monthly = { name: 'Month end', scope: { clientId: 'acme' }, monthly: { days: [0, 32, -2], start: '01:00', durationMinutes: 30 }, timezone: 'UTC' };
    assert.deepEqual(maintenanceWindowIssues(monthly), [{ path: 'monthly.days', message: 'monthly.days must be days of the month 1–31, or -1 for the last day' }]);
  });

  test('a name is required and holds no control characters', () => {
    assert.deepEqual(paths({ ...valid, name: '' }), ['name']);
    assert.deepEqual(paths({ ...valid, name: 'Patch\nnight' }), ['name']);
  });

  test('durations are whole minutes', () => {
    assert.deepEqual(maintenanceWindowIssues({ ...valid, weekly: { days: [1], start: '01:00', durationMinutes: 1.5 } }).map((i) => i.path), ['weekly.durationMinutes']);
  });
});

describe('windows in a period (the audit list of the period report)', () => {
  const other: MaintenanceSubject = { deviceId: 'srv-9', clientId: 'globex', policyId: 'daily' };

  test('a window covering a device in the report is listed with its occurrences clipped to the period', () => {
    const from = nov(24, 0);
    const to = nov(27, 0);
    const found = windowsInPeriod([patchNight, once(nov(20, 0), nov(24, 6))], [{ subject: device, to }], from, to);
    assert.deepEqual(found.map((f) => [f.window.id, f.spans]), [
      ['patch', [{ start: nov(24, 22), end: nov(25, 0) }, { start: nov(26, 22), end: nov(27, 0) }]],
      ['once', [{ start: nov(24, 0), end: nov(24, 6) }]],
    ]);
  });

  test("a window that covers none of the report's devices, or none of the period, is not listed", () => {
    const from = nov(24, 0);
    const to = nov(25, 0);
    assert.deepEqual(windowsInPeriod([patchNight], [{ subject: other, to }], from, to), []);
    assert.deepEqual(windowsInPeriod([once(nov(20, 0), nov(21, 0))], [{ subject: device, to }], from, to), []);
  });

  test('a device stops counting at its own end (retired): later occurrences are not listed', () => {
    const found = windowsInPeriod([patchNight], [{ subject: device, to: nov(25, 0) }], nov(24, 0), nov(28, 0));
    assert.deepEqual(found[0]!.spans, [{ start: nov(24, 22), end: nov(25, 0) }]);
  });
});
