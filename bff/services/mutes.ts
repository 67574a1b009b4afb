/**
 * A tenant's maintenance windows and live silences, loaded once per evaluation batch
 * (one statement), and the one question every sender asks: may a message of this kind
 * about this subject go out now? (`mayNotifyNow`). Evaluation holds alert openings
 * and escalations in a window, skips the slots a window covers and looks at the
 * device again at the next window or silence boundary.
 */
import {
  activeMaintenance,
  gateTransitions,
  isInMaintenance,
  mayNotify,
  muteDecision,
  nextMaintenanceBoundary,
  skipMaintenanceSlots,
  windowApplies,
  type ActiveMaintenance,
  type AlertType,
  type DevicePlan,
  type MaintenanceSubject,
  type MaintenanceTiming,
  type MaintenanceWindow,
  type MuteDecision,
  type NotificationKind,
  type SchedulePosition,
  type Silence,
  type SilenceMatchers,
} from '../../core/index.ts';
import type { SqlExecutor } from '../db/client.ts';

/** What is looked up for a notification: the device it is about and, for an alert, its type (null: a page about the device). */
export interface NotificationSubject extends MaintenanceSubject {
  type: AlertType | null;
}

// One statement per batch: every window, and the silences that have not ended.
const LOAD_SQL = `SELECT 'w' AS k, id, name AS a, scope AS b, timing AS c, NULL AS starts_at, NULL AS ends_at, NULL AS created_by
  FROM maintenance_windows WHERE tenant_id = ?1
  UNION ALL SELECT 's', id, comment, matchers, NULL, starts_at, ends_at, created_by FROM silences WHERE tenant_id = ?1 AND ends_at > ?2`;

interface LoadRow {
  k: 'w' | 's';
  id: string;
  a: string;
  b: string;
  c: string | null;
  starts_at: number | null;
  ends_at: number | null;
  created_by: string | null;
}

const NOT_MUTED: MuteDecision = Object.freeze({ holdAlerts: false, muteNotifications: false, maintenance: null, silencedBy: [], reason: null }) as MuteDecision;

/** A stored window as core reads it. */
export function windowOf(id: string, name: string, scope: string, timing: string): MaintenanceWindow {
  return { id, name, scope: JSON.parse(scope), ...(JSON.parse(timing) as MaintenanceTiming) } as MaintenanceWindow;
}

/** One tenant's windows and silences that have not ended, as of one load. */
export class TenantMutes {
  static readonly NONE = new TenantMutes([], []);

  constructor(
    readonly windows: readonly MaintenanceWindow[],
    readonly silences: readonly Silence[],
  ) {}

  /** Nothing planned and nothing silenced: most tenants, most of the time. */
  get empty(): boolean {
    return this.windows.length === 0 && this.silences.length === 0;
  }

  /** Core's decision for the subject at `now`. */
  decision(subject: NotificationSubject, now: number): MuteDecision {
    if (this.empty) return NOT_MUTED;
    return muteDecision(subject, this.windowsOf(subject), this.silences, now);
  }

  /** The device's maintenance now (`maintenance: {name, until}`), or null. */
  maintenance(subject: MaintenanceSubject, now: number): ActiveMaintenance | null {
    if (this.windows.length === 0) return null;
    return activeMaintenance(subject, this.windowsOf(subject), now);
  }

  /**
   * The plan of an evaluation under the tenant's windows and silences: slots inside a
   * window are skipped (`replan` plans again from the adjusted position), opening and
   * escalating wait while the device is in a window, and the device is looked at again
   * at the next boundary of a window or silence that concerns it.
   */
  applyToPlan(subject: MaintenanceSubject, plan: DevicePlan, position: () => SchedulePosition, replan: (position: SchedulePosition) => DevicePlan, now: number): DevicePlan {
    if (this.empty) return plan;
    const windows = this.windowsOf(subject);
    let planned = plan;
    if (windows.length > 0) {
      const before = position();
      const skipped = skipMaintenanceSlots(before, (slot) => isInMaintenance(subject, windows, slot), now);
      if (skipped !== before) planned = replan(skipped);
      const decision = muteDecision({ ...subject, type: null }, windows, [], now);
      if (decision.holdAlerts) planned = { ...planned, transitions: gateTransitions(planned.transitions, decision) };
    }
    const boundary = this.nextBoundary(subject, windows, now);
    return boundary !== null && boundary < planned.nextEvaluationAt ? { ...planned, nextEvaluationAt: boundary } : planned;
  }

  private windowsOf(subject: MaintenanceSubject): MaintenanceWindow[] {
    return this.windows.filter((window) => windowApplies(window, subject));
  }

  /** The next start or end of a window, or start or end of a silence, that concerns the device. */
  private nextBoundary(subject: MaintenanceSubject, windows: readonly MaintenanceWindow[], now: number): number | null {
    let next = nextMaintenanceBoundary(subject, windows, now);
    for (const silence of this.silences) {
      const { clientId, deviceId } = silence.matchers;
      if ((clientId !== undefined && clientId !== subject.clientId) || (deviceId !== undefined && deviceId !== subject.deviceId)) continue;
      for (const at of [silence.startsAt, silence.endsAt]) if (at > now && (next === null || at < next)) next = at;
    }
    return next;
  }
}

/** Loads the tenant's windows and the silences that have not ended by `now`. */
export async function loadTenantMutes(tx: SqlExecutor, tenantId: string, now: number): Promise<TenantMutes> {
  const rows = await tx.all<LoadRow>(LOAD_SQL, [tenantId, now]);
  if (rows.length === 0) return TenantMutes.NONE;
  const windows: MaintenanceWindow[] = [];
  const silences: Silence[] = [];
  for (const row of rows) {
    if (row.k === 'w') windows.push(windowOf(row.id, row.a, row.b, row.c!));
    else {
      const matchers = JSON.parse(row.b) as SilenceMatchers;
      silences.push({ id: row.id, matchers, startsAt: row.starts_at!, endsAt: row.ends_at!, comment: row.a, createdBy: row.created_by! });
    }
  }
  return new TenantMutes(windows, silences);
}

/**
 * The one mute check before anything that asks for attention is recorded and
 * enqueued (tickets, ticket notes and reopenings, pages and re-triggers, reminders):
 * false while the subject is in a maintenance window or under an active silence.
 * Closing messages (`ticket-resolve`, `page-resolve`) always pass.
 */
export function mayNotifyNow(mutes: TenantMutes, kind: NotificationKind, subject: NotificationSubject, now: number): boolean {
  return mayNotify(kind, mutes.decision(subject, now));
}
