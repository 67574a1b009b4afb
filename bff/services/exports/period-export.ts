/**
 * What a period PDF prints: the period report (GET /compliance?period|from&to), the
 * weekly compliance of the same scope (one period report per week, in the report's
 * timezone), and the MSP's branding. Built where the render runs (a worker thread).
 */
import { periodWeeks } from '../../../core/report-period.ts';
import type { Database } from '../../db/client.ts';
import { buildPeriodReport, periodReportFor, type PeriodQuery, type PeriodReport } from '../compliance-period.ts';
import type { SettingsStore } from '../settings-store.ts';
import { getTenant } from '../tenants.ts';
import { iso } from '../views.ts';

export interface PeriodWeek {
  from: string;
  to: string;
  meetingPct: number | null;
}

export interface PeriodExport {
  report: PeriodReport;
  weeks: PeriodWeek[];
  branding: { mspName: string; accentColor: string };
  generatedAt: string;
}

export async function buildPeriodExport(db: Database, settings: SettingsStore, tenantId: string, clientId: string | null, query: PeriodQuery, now: number): Promise<PeriodExport> {
  const report = await periodReportFor(db, settings, tenantId, clientId, query, now);
  const weeks: PeriodWeek[] = [];
  for (const week of periodWeeks(Date.parse(report.from), Date.parse(report.to), report.timezone)) {
    const { summary } = await buildPeriodReport(db, settings, tenantId, clientId, week.from, week.to, now);
    weeks.push({ from: iso(week.from)!, to: iso(week.to)!, meetingPct: summary.meetingPct });
  }
  const branding = await settings.get(tenantId, 'branding');
  const mspName = branding.mspName ?? (await getTenant(db, tenantId))?.name ?? 'Backup Health';
  return { report, weeks, branding: { mspName, accentColor: branding.accentColor }, generatedAt: iso(now)! };
}
