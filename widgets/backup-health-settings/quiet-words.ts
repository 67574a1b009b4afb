import { html, nothing, type TemplateResult } from 'lit';
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
const list = (items: string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** "Devices SRV-01 and SRV-02 of client Contoso with policy Nightly". */
export function scopeInWords(scope: MaintenanceWindow['scope'], names: InventoryNames): string {
  const parts: string[] = [];
  if (scope.deviceIds?.length) parts.push(`${scope.deviceIds.length === 1 ? 'device' : 'devices'} ${list(scope.deviceIds.map((id) => nameOf(names.devices, id)))}`);
  if (scope.clientId) parts.push(`${parts.length ? 'of client' : 'client'} ${nameOf(names.clients, scope.clientId)}`);
  if (scope.policyId) parts.push(`${parts.length ? 'with policy' : 'devices with policy'} ${nameOf(names.policies, scope.policyId)}`);
  const words = parts.join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Client Contoso, device SRV-01, alert type Backup failed". */
export function matchersInWords(matchers: Silence['matchers'], names: InventoryNames): string {
  const parts: string[] = [];
  if (matchers.clientId) parts.push(`client ${nameOf(names.clients, matchers.clientId)}`);
  if (matchers.deviceId) parts.push(`device ${nameOf(names.devices, matchers.deviceId)}`);
  if (matchers.type) parts.push(`alert type ${ALERT_TYPE_LABELS[matchers.type as keyof typeof ALERT_TYPE_LABELS] ?? matchers.type}`);
  const words = parts.join(', ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const WEEKDAYS = Object.values(WEEKDAY_LABELS);
const ordinal = (day: number): string => (day === -1 ? 'last day' : `${day}${day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th'}`);
const duration = (minutes: number): string => (minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

/** "Weekly on Tuesday and Thursday at 22:00 for 2 h (Europe/Berlin)", or "One-off". */
export function scheduleInWords(window: MaintenanceWindow): string {
  if (window.weekly) return `Weekly on ${list(window.weekly.days.map((day) => WEEKDAYS[day - 1] ?? String(day)))} at ${window.weekly.start} for ${duration(window.weekly.durationMinutes)} (${window.timezone})`;
  if (window.monthly) return `Monthly on the ${list(window.monthly.days.map(ordinal))} at ${window.monthly.start} for ${duration(window.monthly.durationMinutes)} (${window.timezone})`;
  return 'One-off';
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
