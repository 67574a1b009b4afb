/**
 * The rules a maintenance window must follow, each finding naming its field. The
 * edge checks the JSON shape; these are the rules of the domain.
 */
import { MAX_MAINTENANCE_MINUTES, recurrenceOf, type MaintenanceTiming } from './maintenance-window.ts';
import type { MaintenanceScope } from './maintenance.ts';
import { isInstant, textIssues, type FieldIssue } from './field-issues.ts';
import { isStartTime, isTimeZone } from './clock-time.ts';

/** A window as created or replaced (`PUT /maintenance/:id`): everything but the id. */
export type MaintenanceWindowInput = { name: string; scope: MaintenanceScope } & MaintenanceTiming;

/** Longest name, and most devices one window may list. */
export const MAINTENANCE_NAME_MAX = 200;
export const MAINTENANCE_DEVICES_MAX = 1_000;

/**
 * Every rule the window breaks (empty when valid): a name; a scope naming a client,
 * devices or a policy; a one-off `end` after `start`; a recurrence with its days
 * (weekly 1–7, monthly 1–31 or -1 for the last day), a local `start` "HH:MM", a
 * `durationMinutes` of 1 minute to 7 days, and a known IANA `timezone`.
 */
export function maintenanceWindowIssues(window: MaintenanceWindowInput): FieldIssue[] {
  const issues = [...textIssues('name', window.name, MAINTENANCE_NAME_MAX), ...scopeIssues(window.scope)];
  if ('end' in window) {
    if (!isInstant(window.start)) issues.push({ path: 'start', message: 'start must be a valid time' });
    if (!isInstant(window.end)) issues.push({ path: 'end', message: 'end must be a valid time' });
    else if (window.end <= window.start) issues.push({ path: 'end', message: 'end must be after start' });
    return issues;
  }
  const kind = 'weekly' in window && window.weekly ? 'weekly' : 'monthly';
  const rule = recurrenceOf(window)!;
  const dayOk = kind === 'weekly' ? (day: number) => day >= 1 && day <= 7 : (day: number) => (day >= 1 && day <= 31) || day === -1;
  if (rule.days.length === 0) issues.push({ path: `${kind}.days`, message: `${kind}.days must list at least one day` });
  else if (!rule.days.every((day) => Number.isInteger(day) && dayOk(day))) {
    issues.push({
      path: `${kind}.days`,
      message: kind === 'weekly' ? 'weekly.days must be ISO weekdays: 1 (Monday) to 7 (Sunday)' : 'monthly.days must be days of the month 1–31, or -1 for the last day',
    });
  }
  if (!isStartTime(rule.start)) issues.push({ path: `${kind}.start`, message: `${kind}.start must be a local time "HH:MM" from 00:00 to 23:59` });
  if (!Number.isInteger(rule.durationMinutes) || rule.durationMinutes < 1 || rule.durationMinutes > MAX_MAINTENANCE_MINUTES) {
    issues.push({ path: `${kind}.durationMinutes`, message: `${kind}.durationMinutes must be a whole number of minutes from 1 to ${MAX_MAINTENANCE_MINUTES} (7 days)` });
  }
  if (!isTimeZone(window.timezone)) issues.push({ path: 'timezone', message: 'timezone must be an IANA timezone such as "Europe/Berlin"' });
  return issues;
}

function scopeIssues(scope: MaintenanceScope): FieldIssue[] {
  const { clientId, deviceIds, policyId } = scope;
  if (clientId === undefined && deviceIds === undefined && policyId === undefined) {
    return [{ path: 'scope', message: 'scope must name a clientId, deviceIds or a policyId (a window never covers a whole tenant by accident)' }];
  }
  const issues: FieldIssue[] = [];
  if (clientId !== undefined && clientId.trim() === '') issues.push({ path: 'scope.clientId', message: 'scope.clientId must not be empty' });
  if (policyId !== undefined && policyId.trim() === '') issues.push({ path: 'scope.policyId', message: 'scope.policyId must not be empty' });
  if (deviceIds !== undefined) {
    if (deviceIds.length === 0) issues.push({ path: 'scope.deviceIds', message: 'scope.deviceIds must list at least one device (or be left out)' });
    else if (deviceIds.length > MAINTENANCE_DEVICES_MAX) issues.push({ path: 'scope.deviceIds', message: `scope.deviceIds may list at most ${MAINTENANCE_DEVICES_MAX} devices` });
    else if (deviceIds.some((id) => id.trim() === '')) issues.push({ path: 'scope.deviceIds', message: 'scope.deviceIds must not contain empty ids' });
  }
  return issues;
}
