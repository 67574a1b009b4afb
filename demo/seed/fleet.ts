/**
 * The demo fleet: a dozen client companies of different sizes in their own timezones,
 * backup policies of every schedule kind (docs/schedules.md) and ~500 devices (workstations,
 * laptops, servers, a NAS and an archive server, Microsoft 365 / Google Workspace
 * tenants), each with a scenario that decides what its recent history looks like.
 * Deterministic: the same seed and device count give the same fleet.
 */
import type { MergeMode, MergeRule, OfflineRule, Schedule } from '../../core/schedule-spec.ts';
import type { DeviceKind } from '../../core/types.ts';
import { createRandom, type Random } from './random.ts';

const GB = 1_000_000_000;
const TB = 1_000 * GB;

export interface ClientSpec {
  id: string;
  name: string;
  /** IANA timezone: calendar schedules run in it. */
  timezone: string;
  /** Share of the fleet (relative). */
  weight: number;
  /** Host-name prefix, e.g. CTD. */
  prefix: string;
  /** The client's mail domain (for SaaS tenant names). */
  domain: string;
  saasSuite: 'Microsoft 365' | 'Google Workspace';
}

/** A policy as `PUT /policies/{id}` takes it. */
export interface PolicySpec {
  id: string;
  name: string;
  schedule: Schedule;
  /** Calendar default 4 h; longer for jobs that take hours (NAS, archive). */
  graceHours?: number;
  offline?: OfflineRule;
  merge: MergeMode;
  mergeRule: MergeRule;
}

/** What a device is, beyond its kind: decides its policy, job length and possible scenarios. */
export type Role = 'desktop' | 'laptop' | 'server' | 'critical-server' | 'nas' | 'archive' | 'saas';

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
  /** The agent checks in but the newest due run did not happen (missed: Warning). */
  | 'overdue'
  /** Nothing at all for days (agent offline, > 48 h overdue: Critical). */
  | 'silent'
  /** A laptop away (holiday, in a drawer) for 2–12 days: runs skipped, offline; past 7 days `device_offline`. */
  | 'away'
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
  role: Role;
  policyId: string;
  /** The policy's interval (interval schedules) or 24 (calendar ones), as the API lists it. */
  intervalHours: number;
  /** The client's timezone (calendar schedules are read in it). */
  timezone: string;
  quotaBytes: number | null;
  scenario: Scenario;
  /** Typical size of one backup, bytes. */
  jobBytes: number;
  /** Storage used 30 days ago and now, bytes. */
  storageStart: number;
  storageNow: number;
  /** Chance that an ordinary job (older than a week) fails. */
  flakiness: number;
  /** Minutes after each slot at which this device's agent starts (agents spread their start). */
  startDelayMinutes: number;
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
  { id: 'fabrikam-manufacturing', name: 'Fabrikam Manufacturing', timezone: 'America/Chicago', weight: 72, prefix: 'FAB', domain: 'fabrikam.com', saasSuite: 'Microsoft 365' },
  { id: 'woodgrove-credit-union', name: 'Woodgrove Credit Union', timezone: 'America/Chicago', weight: 64, prefix: 'WGB', domain: 'woodgrovecu.org', saasSuite: 'Microsoft 365' },
  { id: 'wide-world-importers', name: 'Wide World Importers', timezone: 'Australia/Sydney', weight: 58, prefix: 'WWI', domain: 'wideworldimporters.com.au', saasSuite: 'Google Workspace' },
  { id: 'proseware-architects', name: 'Proseware Architects', timezone: 'America/Denver', weight: 48, prefix: 'PRS', domain: 'proseware.com', saasSuite: 'Google Workspace' },
  { id: 'adventure-works-cycles', name: 'Adventure Works Cycles', timezone: 'America/Los_Angeles', weight: 40, prefix: 'ADV', domain: 'adventure-works.com', saasSuite: 'Microsoft 365' },
  { id: 'litware-legal', name: 'Litware Legal LLP', timezone: 'Europe/London', weight: 30, prefix: 'LIT', domain: 'litwarelegal.co.uk', saasSuite: 'Microsoft 365' },
  { id: 'fourth-coffee', name: 'Fourth Coffee', timezone: 'America/Los_Angeles', weight: 26, prefix: 'FTC', domain: 'fourthcoffee.com', saasSuite: 'Google Workspace' },
  { id: 'tailspin-toys', name: 'Tailspin Toys', timezone: 'America/Chicago', weight: 22, prefix: 'TST', domain: 'tailspintoys.com', saasSuite: 'Microsoft 365' },
  { id: 'contoso-dental', name: 'Contoso Dental', timezone: 'America/Chicago', weight: 18, prefix: 'CTD', domain: 'contosodental.com', saasSuite: 'Microsoft 365' },
  { id: 'coho-winery', name: 'Coho Winery', timezone: 'America/Los_Angeles', weight: 14, prefix: 'COHO', domain: 'cohowinery.com', saasSuite: 'Google Workspace' },
  { id: 'alpine-ski-house', name: 'Alpine Ski House', timezone: 'Europe/Zurich', weight: 12, prefix: 'ASH', domain: 'alpineskihouse.ch', saasSuite: 'Microsoft 365' },
];

/**
 * One policy per backup plan (every schedule kind of docs/schedules.md). Retries of one run are
 * merged (`per-run`); the NAS counts a run that needed a retry as a warning, the
 * archive keeps its worst result.
 */
export const POLICIES: readonly PolicySpec[] = [
  { id: 'servers-4h', name: 'Every 4 hours — database & mail servers', schedule: { kind: 'interval', hours: 4 }, merge: 'per-run', mergeRule: 'last' },
  { id: 'servers-nightly', name: 'Nightly 01:00 — servers', schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['01:00'] }, graceHours: 4, merge: 'per-run', mergeRule: 'last' },
  { id: 'workstations', name: 'Mon–Fri 22:00 — office workstations', schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] }, graceHours: 4, merge: 'per-run', mergeRule: 'last' },
  {
    id: 'laptops',
    name: 'Daily 12:30 — laptops (skipped while off)',
    schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['12:30'] },
    graceHours: 4,
    offline: { skipWhenOffline: true, alertAfterDays: 7 },
    merge: 'per-run',
    mergeRule: 'last',
  },
  { id: 'nas-weekly', name: 'Sunday 03:00 — NAS', schedule: { kind: 'weekly', days: [7], times: ['03:00'] }, graceHours: 12, merge: 'per-run', mergeRule: 'mixed-is-warning' },
  { id: 'archive-monthly', name: 'Last day of the month 23:30 — archive', schedule: { kind: 'monthly', days: [-1], times: ['23:30'] }, graceHours: 12, merge: 'per-run', mergeRule: 'worst' },
  { id: 'saas-6h', name: 'Cron 0 */6 * * * — SaaS tenants', schedule: { kind: 'cron', expression: '0 */6 * * *' }, graceHours: 4, merge: 'per-run', mergeRule: 'last' },
];

const POLICY_OF: Record<Role, string> = {
  desktop: 'workstations',
  laptop: 'laptops',
  server: 'servers-nightly',
  'critical-server': 'servers-4h',
  nas: 'nas-weekly',
  archive: 'archive-monthly',
  saas: 'saas-6h',
};

/** The policy of a role. */
export function policyOf(role: Role): PolicySpec {
  return POLICIES.find((policy) => policy.id === POLICY_OF[role])!;
}

// The first four are every schedule kind but cron (SaaS): the largest client always has them.
const SERVER_ROLES = ['DC', 'NAS', 'SQL', 'ARC', 'FS', 'APP', 'HV', 'RDS', 'EXCH', 'PRINT', 'WEB', 'ERP', 'VEEAM'];
const ROLE_OF_SERVER: Record<string, Role> = { NAS: 'nas', ARC: 'archive', SQL: 'critical-server', EXCH: 'critical-server', ERP: 'critical-server' };

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
  // The largest client has at least a DC, a NAS, a database server and an archive server.
  const servers = Math.max(client === CLIENTS[0] ? 4 : 1, Math.round(size * 0.12));
  const saas = Math.max(1, Math.round(size * 0.06));
  const workstations = Math.max(1, size - servers - saas);
  const devices: DeviceSpec[] = [];
  const slug = client.prefix.toLowerCase();

  for (let i = 0; i < servers; i++) {
    const role = SERVER_ROLES[i % SERVER_ROLES.length]!;
    const number = Math.floor(i / SERVER_ROLES.length) + 1;
    const serverRole = ROLE_OF_SERVER[role] ?? 'server';
    const quota = random.pick([2 * TB, 4 * TB, 8 * TB]);
    devices.push(
      baseDevice(random, client, {
        id: `${slug}-srv-${role.toLowerCase()}${String(number).padStart(2, '0')}`,
        name: `${client.prefix}-${role}${String(number).padStart(2, '0')}`,
        kind: 'server',
        role: serverRole,
        quotaBytes: serverRole === 'nas' || serverRole === 'archive' ? 4 * quota : quota,
        jobBytes: (serverRole === 'nas' || serverRole === 'archive' ? random.between(200, 900) : random.between(4, 60)) * GB,
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
      baseDevice(random, client, {
        id: `${slug}-saas-${String(i + 1).padStart(2, '0')}`,
        name: `${service} — ${client.domain}`,
        kind: 'saas',
        role: 'saas',
        quotaBytes: random.pick([1 * TB, 2 * TB, 5 * TB]),
        jobBytes: random.between(1, 12) * GB,
        drTests: random.chance(0.5),
      }),
    );
  }
  for (let i = 0; i < workstations; i++) {
    const laptop = random.chance(0.55);
    devices.push(
      baseDevice(random, client, {
        id: `${slug}-${laptop ? 'lt' : 'ws'}-${String(i + 1).padStart(3, '0')}`,
        name: `${client.prefix}-${laptop ? 'LT' : 'WS'}${String(i + 1).padStart(3, '0')}`,
        kind: 'workstation',
        // Laptops back up over lunch (they go home at night) and are off at weekends.
        role: laptop ? 'laptop' : 'desktop',
        quotaBytes: random.chance(0.7) ? random.pick([250 * GB, 500 * GB, 1 * TB]) : null,
        jobBytes: random.between(0.2, 4) * GB,
        drTests: random.chance(0.15),
      }),
    );
  }
  return devices;
}

function baseDevice(
  random: Random,
  client: ClientSpec,
  spec: Pick<DeviceSpec, 'id' | 'name' | 'kind' | 'role' | 'quotaBytes' | 'jobBytes' | 'drTests'>,
): DeviceSpec {
  const policy = policyOf(spec.role);
  return {
    ...spec,
    clientId: client.id,
    policyId: policy.id,
    intervalHours: policy.schedule.kind === 'interval' ? policy.schedule.hours : 24,
    timezone: client.timezone,
    scenario: 'steady',
    storageStart: 0,
    storageNow: 0,
    flakiness: random.chance(0.1) ? random.between(0.06, 0.12) : random.between(0.005, 0.03),
    // Agents start a few minutes after the slot, each its own way (no thundering herd).
    startDelayMinutes: random.int(0, 20),
  };
}

/**
 * Scenario shares of the fleet; the rest is steady. `roles` are the devices a scenario
 * makes sense for: a weekly NAS or a monthly archive never has three failed runs in a
 * month, an overdue device runs at least daily (one missed run is then a Warning), a
 * silent laptop is offline rather than late.
 */
const SHARES: { scenario: Scenario; share: number; roles: readonly Role[]; firstRole?: Role }[] = [
  // The first failing and overdue devices are servers: those open tickets and page on-call.
  { scenario: 'failing', share: 0.026, roles: ['server', 'critical-server', 'desktop', 'laptop'], firstRole: 'server' },
  { scenario: 'failed-recently', share: 0.07, roles: ['server', 'critical-server', 'desktop', 'laptop', 'saas'] },
  { scenario: 'recovered', share: 0.03, roles: ['server', 'critical-server', 'desktop', 'laptop'] },
  { scenario: 'overdue', share: 0.016, roles: ['server', 'critical-server', 'saas'], firstRole: 'server' },
  { scenario: 'silent', share: 0.01, roles: ['desktop', 'server'] },
  { scenario: 'away', share: 0.03, roles: ['laptop'] },
  { scenario: 'dr-failed', share: 0.006, roles: ['server', 'critical-server'] },
  { scenario: 'near-quota', share: 0.03, roles: ['server', 'critical-server', 'desktop', 'laptop', 'saas'] },
  { scenario: 'over-quota', share: 0.006, roles: ['server', 'critical-server', 'desktop', 'laptop'] },
  { scenario: 'consent-expired', share: 0.004, roles: ['saas'] },
  { scenario: 'running', share: 0.03, roles: ['server', 'desktop', 'saas'] },
  { scenario: 'new', share: 0.006, roles: ['desktop', 'server'] },
];

function assignScenarios(devices: DeviceSpec[], random: Random): void {
  // A stable shuffle, then deal scenarios from the front: each role list keeps its own order.
  const order = devices.map((device) => ({ device, key: random.next() })).sort((a, b) => a.key - b.key).map((x) => x.device);
  const needsQuota = new Set<Scenario>(['near-quota', 'over-quota']);
  for (const { scenario, share, roles, firstRole } of SHARES) {
    let wanted = Math.max(1, Math.round(devices.length * share));
    const eligible = order.filter(
      (device) => device.scenario === 'steady' && roles.includes(device.role) && (!needsQuota.has(scenario) || device.quotaBytes !== null),
    );
    const first = firstRole ? eligible.find((device) => device.role === firstRole) : undefined;
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
