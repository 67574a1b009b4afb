import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { ALERT_TYPE_LABELS, WEEKDAY_LABELS } from '../shared/labels.ts';
import type { ApiClient } from '../shared/api-client.ts';
import type { MaintenanceWindow, Silence } from '../shared/quiet-api.ts';

/** Names of the inventory a scope or matcher refers to by id (ids are shown when unknown). */
export interface InventoryNames {
  clients: Map<string, string>;
  devices: Map<string, string>;
  policies: Map<string, string>;
}

const nameOf = (names: Map<string, string>, id: string): string => names.get(id) ?? id;
/** "a", "a and b", "a, b and c" in the page's language. */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  const head = items.slice(0, -1).join(', ');
  const last = items.at(-1)!;
  return msg(str`${head} and ${last}`);
}

/** "Devices SRV-01 and SRV-02 of client Contoso with policy Nightly". */
export function scopeInWords(scope: MaintenanceWindow['scope'], names: InventoryNames): string {
  const parts: string[] = [];
  if (scope.deviceIds?.length) {
    const devices = list(scope.deviceIds.map((id) => nameOf(names.devices, id)));
    parts.push(scope.deviceIds.length === 1 ? msg(str`device ${devices}`) : msg(str`devices ${devices}`));
  }
  if (scope.clientId) {
    const client = nameOf(names.clients, scope.clientId);
    parts.push(parts.length ? msg(str`of client ${client}`) : msg(str`client ${client}`));
  }
  if (scope.policyId) {
    const policy = nameOf(names.policies, scope.policyId);
    parts.push(parts.length ? msg(str`with policy ${policy}`) : msg(str`devices with policy ${policy}`));
  }
  const words = parts.join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Client Contoso, device SRV-01, alert type Backup failed". */
export function matchersInWords(matchers: Silence['matchers'], names: InventoryNames): string {
  const parts: string[] = [];
  if (matchers.clientId) {
    const client = nameOf(names.clients, matchers.clientId);
    parts.push(msg(str`client ${client}`));
  }
  if (matchers.deviceId) {
    const device = nameOf(names.devices, matchers.deviceId);
    parts.push(msg(str`device ${device}`));
  }
  if (matchers.type) {
    const type = ALERT_TYPE_LABELS[matchers.type as keyof typeof ALERT_TYPE_LABELS] ?? matchers.type;
    parts.push(msg(str`alert type ${type}`));
  }
  const words = parts.join(', ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** ISO weekday 1 (Monday) … 7 (Sunday) → its name, read when rendering (the labels are getters). */
export const weekdayName = (day: number): string => Object.values(WEEKDAY_LABELS)[day - 1] ?? String(day);

/** "1st", "22nd", "last day" ("1.", "22.", "letzten Tag"): English picks the suffix, each has its German. */
export function ordinal(day: number): string {
  if (day === -1) return msg('last day');
  if (day % 10 === 1 && day !== 11) return msg(str`${day}st`);
  if (day % 10 === 2 && day !== 12) return msg(str`${day}nd`);
  if (day % 10 === 3 && day !== 13) return msg(str`${day}rd`);
  return msg(str`${day}th`);
}

/** "2 d", "2 h", "30 min". */
function duration(minutes: number): string {
  if (minutes % 1440 === 0) {
    const days = minutes / 1440;
    return msg(str`${days} d`);
  }
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return msg(str`${hours} h`);
  }
  return msg(str`${minutes} min`);
}

/** "Weekly on Tuesday and Thursday at 22:00 for 2 h (Europe/Berlin)", or "One-off". */
export function scheduleInWords(window: MaintenanceWindow): string {
  const { timezone } = window;
  if (window.weekly) {
    const days = list(window.weekly.days.map(weekdayName));
    const { start } = window.weekly;
    const length = duration(window.weekly.durationMinutes);
    return msg(str`Weekly on ${days} at ${start} for ${length} (${timezone})`);
  }
  if (window.monthly) {
    const days = list(window.monthly.days.map(ordinal));
    const { start } = window.monthly;
    const length = duration(window.monthly.durationMinutes);
    return msg(str`Monthly on the ${days} at ${start} for ${length} (${timezone})`);
  }
  return msg('One-off');
}

/** The error of field `path` beside it (an id for `aria-describedby`). */
export function renderFieldError(errors: Record<string, string>, path: string, id: string): TemplateResult | typeof nothing {
  const message = errors[path];
  return message ? html`<span id=${id} class="field-error status" data-tone="critical" part="field-error">${message}</span>` : nothing;
}

/** Client, device and policy names for the words above: every client, and the first 500 devices (with their policies). */
export async function loadInventoryNames(api: ApiClient, signal: AbortSignal): Promise<InventoryNames> {
  const [clients, devices] = await Promise.all([api.allClients(signal), api.listDevices({ limit: 500, sort: 'name', order: 'asc' }, signal)]);
  return {
    clients: new Map(clients.map((client) => [client.id, client.name])),
    devices: new Map(devices.items.map((device) => [device.id, device.name])),
    policies: new Map(devices.items.map((device) => [device.policy.id, device.policy.name])),
  };
}
