/**
 * Wire types of the HTTP API (`/api/v1`), shared by the BFF that produces them and the
 * widgets that consume them: each is the `z.infer` of its schema in contract/ (the
 * OpenAPI document is generated from the same schemas). Only types come from there, so
 * zod never enters the widget bundle; the fixed vocabularies below are plain constants
 * for the same reason. Times are ISO-8601 UTC strings.
 */
import type { z } from 'zod';
import type { ProblemSchema, RefSchema } from '../contract/common.ts';
import type * as R from '../contract/resources.ts';

export type IsoTime = string;
export type Ref = z.infer<typeof RefSchema>;
/** RFC 9457 problem details. */
export type Problem = z.infer<typeof ProblemSchema>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /me`: who the bearer is. */
export type Me = z.infer<typeof R.MeSchema>;
export type DeviceItem = z.infer<typeof R.DeviceItemSchema>;
export type DeviceListItem = z.infer<typeof R.DeviceListItemSchema>;
export type JobItem = z.infer<typeof R.JobItemSchema>;
export type DrTestItem = z.infer<typeof R.DrTestItemSchema>;
export type AlertItem = z.infer<typeof R.AlertItemSchema>;
export type DeviceDetail = z.infer<typeof R.DeviceDetailSchema>;
export type ClientItem = z.infer<typeof R.ClientItemSchema>;
export type ComplianceDevice = z.infer<typeof R.ComplianceDeviceSchema>;
export type ComplianceReport = z.infer<typeof R.ComplianceReportSchema>;
export type WeeklyReportJson = z.infer<typeof R.WeeklyReportSchema>;
export type SlaSettings = z.infer<typeof R.SlaSettingsSchema>;
export type ReportSettings = z.infer<typeof R.ReportSettingsSchema>;
export type BrandingSettings = z.infer<typeof R.BrandingSettingsSchema>;
export type ClientReportSettings = z.infer<typeof R.ClientReportSettingsSchema>;
export type AlertSettings = z.infer<typeof R.AlertSettingsSchema>;
/** Delivery state of an outbound integration, read-only. */
export type IntegrationStatus = z.infer<typeof R.IntegrationStatusSchema>;
export type PsaSettings = z.infer<typeof R.PsaSettingsSchema>;
export type OnCallSettings = z.infer<typeof R.OnCallSettingsSchema>;
export type MailSettings = z.infer<typeof R.MailSettingsSchema>;
export type EvaluationSummary = z.infer<typeof R.EvaluationSummarySchema>;
export type { SlaPatch, ReportPatch, PsaPatch, OnCallPatch } from '../contract/settings.ts';

/** Server-Sent Events on `GET /stream`. */
export interface StreamEvents {
  /** The device as `GET /devices?include=schedule` lists it: its schedule fields, without the 14-run strip. */
  'device.updated': Omit<DeviceListItem, 'runs'>;
  'alert.opened': AlertItem;
  'alert.updated': AlertItem;
  'alert.resolved': AlertItem;
}

// ---------------------------------------------------------------- vocabularies

export { TICKET_PRIORITIES, WEEKDAYS } from './types.ts';

// The edge checks clock times and time zones by core's own rules.
export { CLOCK_TIME_PATTERN, isTimeZone } from './clock-time.ts';
