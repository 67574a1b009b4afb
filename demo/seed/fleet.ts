/**
 * The demo fleet: a dozen client companies of different sizes, three backup policies
 * and ~500 devices (workstations, servers, Microsoft 365 / Google Workspace tenants),
 * each with a scenario that decides what its recent history looks like.
 * Deterministic: the same seed and device count give the same fleet.
 */
import type { DeviceKind } from '../../core/types.ts';
import { createRandom, type Random } from './random.ts';

const GB = 1_000_000_000;
const TB = 1_000 * GB;

export interface ClientSpec {
  id: string;
  name: string;
  /** IANA timezone; null: the tenant's. */
  timezone: string | null;
  /** Share of the fleet (relative). */
  weight: number;
  /** Host-name prefix, e.g. CTD. */
  prefix: string;
  /** The client's mail domain (for SaaS tenant names). */
  domain: string;
  saasSuite: 'Microsoft 365' | 'Google Workspace';
}

export interface PolicySpec {
  id: string;
  name: string;
  intervalHours: number;
}

/**
 * What a device's recent history shows; anything older than a week is ordinary
 * history with occasional failures whatever the scenario.
 */
export type Scenario =
  /** Succeeds on schedule; no failure in the last 7 days. */
  | 'steady'
  /** One or two failures in the last few days, successes since (Warning). */
  | 'failed-recently'
  /** A streak of failures that ended with a success (days ago). */
  | 'recovered'
  /** The newest 3–5 jobs failed (Critical, a PSA ticket). */
  | 'failing'
  /** The agent checks in but no backup has run for 14–40 h (missed, overdue). */
  | 'overdue'
  /** Nothing at all for days (agent offline, > 48 h overdue: Critical). */
  | 'silent'
  /** The newest DR test failed. */
  | 'dr-failed'
  /** Storage at 85–93 % of quota. */
  | 'near-quota'
  /** Storage above 95 % of quota. */
  | 'over-quota'
  /** SaaS: OAuth consent expired; jobs fail since. */
  | 'consent-expired'
  /** A backup is running right now. */
  | 'running'
  /** Enrolled, no backup yet (Unknown). */
  | 'new';

export interface DeviceSpec {
  id: string;
  name: string;
  clientId: string;
  kind: DeviceKind;
  policyId: string;
  intervalHours: number;
  quotaBytes: number | null;
  scenario: Scenario;
  /** Typical size of one backup, bytes. */
  jobBytes: number;
  /** Storage used 30 days ago and now, bytes. */
  storageStart: number;
  storageNow: number;
  /** Chance that an ordinary job (older than a week) fails. */
  flakiness: number;
  /** Hour of day (UTC) at which daily jobs start; minute offset for shorter policies. */
  startHourUtc: number;
  startMinute: number;
  /** Whether restore verification tests run for this device. */
  drTests: boolean;
}

export interface Fleet {
  clients: ClientSpec[];
  policies: PolicySpec[];
  devices: DeviceSpec[];
}

export const CLIENTS: readonly ClientSpec[] = [
  { id: 'northwind-logistics', name: 'Northwind Logistics', timezone: 'America/New_York', weight: 96, prefix: 'NWL', domain: 'northwindlogistics.com', saasSuite: 'Microsoft 365' },
  { id: 'fabrikam-manufacturing', name: 'Fabrikam Manufacturing', timezone: null, weight: 72, prefix: 'FAB', domain: 'fabrikam.com', saasSuite: 'Microsoft 365' },
  { id: 'woodgrove-credit-union', name: 'Woodgrove Credit Union', timezone: null, weight: 64, prefix: 'WGB', domain: 'woodgrovecu.org', saasSuite: 'Microsoft 365' },
  { id: 'wide-world-importers', name: 'Wide World Importers', timezone: 'Australia/Sydney', weight: 58, prefix: 'WWI', domain: 'wideworldimporters.com.au', saasSuite: 'Google Workspace' },
  { id: 'proseware-architects', name: 'Proseware Architects', timezone: null, weight: 48, prefix: 'PRS', domain: 'proseware.com', saasSuite: 'Google Workspace' },
  { id: 'adventure-works-cycles', name: 'Adventure Works Cycles', timezone: null, weight: 40, prefix: 'ADV', domain: 'adventure-works.com', saasSuite: 'Microsoft 365' },
  { id: 'litware-legal', name: 'Litware Legal LLP', timezone: 'Europe/London', weight: 30, prefix: 'LIT', domain: 'litwarelegal.co.uk', saasSuite: 'Microsoft 365' },
  { id: 'fourth-coffee', name: 'Fourth Coffee', timezone: null, weight: 26, prefix: 'FTC', domain: 'fourthcoffee.com', saasSuite: 'Google Workspace' },
  { id: 'tailspin-toys', name: 'Tailspin Toys', timezone: null, weight: 22, prefix: 'TST', domain: 'tailspintoys.com', saasSuite: 'Microsoft 365' },
  { id: 'contoso-dental', name: 'Contoso Dental', timezone: 'America/Chicago', weight: 18, prefix: 'CTD', domain: 'contosodental.com', saasSuite: 'Microsoft 365' },
  { id: 'coho-winery', name: 'Coho Winery', timezone: null, weight: 14, prefix: 'COHO', domain: 'cohowinery.com', saasSuite: 'Google Workspace' },
  { id: 'alpine-ski-house', name: 'Alpine Ski House', timezone: 'Europe/Zurich', weight: 12, prefix: 'ASH', domain: 'alpineskihouse.ch', saasSuite: 'Microsoft 365' },
];

export const POLICIES: readonly PolicySpec[] = [
  { id: 'hourly', name: 'Hourly — critical servers', intervalHours: 1 },
  { id: 'every-4h', name: 'Every 4 hours — servers & SaaS', intervalHours: 4 },
  { id: 'daily', name: 'Daily — workstations', intervalHours: 24 },
];

const SERVER_ROLES = ['DC', 'FS', 'SQL', 'APP', 'HV', 'RDS', 'EXCH', 'PRINT', 'WEB', 'ERP', 'BKP', 'VEEAM'];

export interface FleetOptions {
  /** About how many devices (default 500); every client gets at least 3. */
  deviceCount?: number;
  seed?: number;
}

/** Builds the fleet. Scenario shares are of the whole fleet, at least one each. */
export function buildFleet(options: FleetOptions = {}): Fleet {
  const deviceCount = Math.max(options.deviceCount ?? 500, 3 * CLIENTS.length);
  const random = createRandom(options.seed ?? 20_261_124);
  const totalWeight = CLIENTS.reduce((sum, c) => sum + c.weight, 0);
  const devices: DeviceSpec[] = [];
  for (const client of CLIENTS) {
    const size = Math.max(3, Math.round((deviceCount * client.weight) / totalWeight));
    devices.push(...clientDevices(client, size, random.fork(client.id)));
  }
  assignScenarios(devices, random.fork('scenarios'));
  for (const device of devices) fitStorage(device, random.fork(`storage:${device.id}`));
  return { clients: [...CLIENTS], policies: [...POLICIES], devices };
}

function clientDevices(client: ClientSpec, size: number, random: Random): DeviceSpec[] {
  const servers = Math.max(1, Math.round(size * 0.12));
  const saas = Math.max(1, Math.round(size * 0.06));
  const workstations = Math.max(1, size - servers - saas);
  const offset = utcOffsetHours(client.timezone ?? 'UTC');
  const devices: DeviceSpec[] = [];
  const slug = client.prefix.toLowerCase();

  for (let i = 0; i < servers; i++) {
    const role = SERVER_ROLES[i % SERVER_ROLES.length]!;
    const number = Math.floor(i / SERVER_ROLES.length) + 1;
    const hourly = i < 2 && size >= 20; // the domain controller and file server of larger clients
    const quota = random.pick([2 * TB, 4 * TB, 8 * TB]);
    devices.push(
      baseDevice(random, {
        id: `${slug}-srv-${role.toLowerCase()}${String(number).padStart(2, '0')}`,
        name: `${client.prefix}-${role}${String(number).padStart(2, '0')}`,
        clientId: client.id,
        kind: 'server',
        policy: hourly ? POLICIES[0]! : POLICIES[1]!,
        quotaBytes: quota,
        jobBytes: random.between(4, 60) * GB,
        startHourUtc: wrapHour(22 - offset),
        drTests: true,
      }),
    );
  }
  for (let i = 0; i < saas; i++) {
    const service =
      client.saasSuite === 'Microsoft 365'
        ? ['Microsoft 365', 'SharePoint Online', 'OneDrive for Business'][i % 3]!
        : ['Google Workspace', 'Google Drive (shared drives)', 'Gmail'][i % 3]!;
    devices.push(
      baseDevice(random, {
        id: `${slug}-saas-${String(i + 1).padStart(2, '0')}`,
        name: `${service} — ${client.domain}`,
        clientId: client.id,
        kind: 'saas',
        policy: POLICIES[1]!,
        quotaBytes: random.pick([1 * TB, 2 * TB, 5 * TB]),
        jobBytes: random.between(1, 12) * GB,
        startHourUtc: 0,
        drTests: random.chance(0.5),
      }),
    );
  }
  for (let i = 0; i < workstations; i++) {
    const laptop = random.chance(0.55);
    const powerUser = random.chance(0.08);
    devices.push(
      baseDevice(random, {
        id: `${slug}-${laptop ? 'lt' : 'ws'}-${String(i + 1).padStart(3, '0')}`,
        name: `${client.prefix}-${laptop ? 'LT' : 'WS'}${String(i + 1).padStart(3, '0')}`,
        clientId: client.id,
        kind: 'workstation',
        policy: powerUser ? POLICIES[1]! : POLICIES[2]!,
        quotaBytes: random.chance(0.7) ? random.pick([250 * GB, 500 * GB, 1 * TB]) : null,
        jobBytes: random.between(0.2, 4) * GB,
        // Laptops back up over lunch (they are at home at night), desktops overnight.
        startHourUtc: wrapHour((laptop ? 12 : 1) - offset + random.int(0, 2)),
        drTests: random.chance(0.15),
      }),
    );
  }
  return devices;
}

function baseDevice(
  random: Random,
  spec: Pick<DeviceSpec, 'id' | 'name' | 'clientId' | 'kind' | 'quotaBytes' | 'jobBytes' | 'startHourUtc' | 'drTests'> & { policy: PolicySpec },
): DeviceSpec {
  const { policy, ...rest } = spec;
  return {
    ...rest,
    policyId: policy.id,
    intervalHours: policy.intervalHours,
    scenario: 'steady',
    storageStart: 0,
    storageNow: 0,
    flakiness: random.chance(0.1) ? random.between(0.06, 0.12) : random.between(0.005, 0.03),
    startMinute: random.int(0, 59),
  };
}

/** Scenario shares of the fleet; the rest is steady. */
const SHARES: { scenario: Scenario; share: number; kinds: readonly DeviceKind[]; firstKind?: DeviceKind }[] = [
  // The first failing and overdue devices are servers: those open tickets and page on-call.
  { scenario: 'failing', share: 0.026, kinds: ['server', 'workstation'], firstKind: 'server' },
  { scenario: 'failed-recently', share: 0.07, kinds: ['server', 'workstation', 'saas'] },
  { scenario: 'recovered', share: 0.03, kinds: ['server', 'workstation'] },
  { scenario: 'overdue', share: 0.016, kinds: ['server', 'workstation'], firstKind: 'server' },
  { scenario: 'silent', share: 0.01, kinds: ['workstation', 'server'] },
  { scenario: 'dr-failed', share: 0.006, kinds: ['server'] },
  { scenario: 'near-quota', share: 0.03, kinds: ['server', 'workstation', 'saas'] },
  { scenario: 'over-quota', share: 0.006, kinds: ['server', 'workstation'] },
  { scenario: 'consent-expired', share: 0.004, kinds: ['saas'] },
  { scenario: 'running', share: 0.03, kinds: ['server', 'workstation', 'saas'] },
  { scenario: 'new', share: 0.006, kinds: ['workstation', 'server'] },
];

function assignScenarios(devices: DeviceSpec[], random: Random): void {
  // A stable shuffle, then deal scenarios from the front: each kind list keeps its own order.
  const order = devices.map((device) => ({ device, key: random.next() })).sort((a, b) => a.key - b.key).map((x) => x.device);
  const needsQuota = new Set<Scenario>(['near-quota', 'over-quota']);
  for (const { scenario, share, kinds, firstKind } of SHARES) {
    let wanted = Math.max(1, Math.round(devices.length * share));
    const eligible = order.filter(
      (device) => device.scenario === 'steady' && kinds.includes(device.kind) && (!needsQuota.has(scenario) || device.quotaBytes !== null),
    );
    const first = firstKind ? eligible.find((device) => device.kind === firstKind) : undefined;
    for (const device of first ? [first, ...eligible.filter((d) => d !== first)] : eligible) {
      if (wanted-- === 0) break;
      device.scenario = scenario;
    }
  }
}

/** Storage used now and 30 days ago, consistent with the scenario. */
function fitStorage(device: DeviceSpec, random: Random): void {
  const quota = device.quotaBytes;
  const reference = quota ?? (device.kind === 'workstation' ? 400 * GB : 3 * TB);
  const ratioNow =
    device.scenario === 'over-quota' ? random.between(0.955, 0.985) : device.scenario === 'near-quota' ? random.between(0.85, 0.93) : random.between(0.22, 0.76);
  device.storageNow = Math.round(reference * ratioNow);
  // Growth over 30 days: 2–12 % of the current size (faster for the near-quota ones).
  const growth = device.scenario === 'near-quota' || device.scenario === 'over-quota' ? random.between(0.08, 0.16) : random.between(0.02, 0.12);
  device.storageStart = Math.round(device.storageNow * (1 - growth));
}

/** Whole-hour UTC offset of a timezone in winter (good enough to place nightly jobs). */
function utcOffsetHours(timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(Date.UTC(2026, 0, 15, 12)));
  const localHour = Number(parts.find((p) => p.type === 'hour')?.value ?? 12);
  let offset = localHour - 12;
  if (offset > 12) offset -= 24;
  if (offset < -12) offset += 24;
  return offset;
}

function wrapHour(hour: number): number {
  return ((Math.round(hour) % 24) + 24) % 24;
}
