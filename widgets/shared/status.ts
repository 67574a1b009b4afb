import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { AlertSeverity, HealthStatus, JobStatus, SlaStateName } from '../../core/types.ts';
import { JOB_STATUS_LABELS, SEVERITY_LABELS, SLA_STATE_LABELS, STATUS_LABELS } from './labels.ts';

/** The four colour/icon families. Each has its own shape so colour is never the only cue. */
export type Tone = 'healthy' | 'warning' | 'critical' | 'unknown';

/** Icons beyond the four tones: a neutral state that is not "unknown" gets its own shape. */
export type Icon = Tone | 'offline';

const SHAPES: Record<Icon, SVGTemplateResult> = {
  healthy: svg`<circle cx="8" cy="8" r="6.5"/><path d="M5 8.3l2 2 4-4.3"/>`,
  warning: svg`<path d="M8 1.8l6.5 11.7h-13z"/><path d="M8 6.3v3.4M8 11.6v.1"/>`,
  critical: svg`<path d="M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3z"/><path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4"/>`,
  unknown: svg`<circle cx="8" cy="8" r="6.5" stroke-dasharray="2.5 1.6"/><path d="M6.2 6.3a1.9 1.9 0 1 1 2.5 1.8c-.5.2-.7.6-.7 1.1v.4M8 11.6v.1"/>`,
  // A power symbol: switched off, not in doubt.
  offline: svg`<path d="M8 1.8v5.4"/><path d="M4.6 3.9a5.6 5.6 0 1 0 6.8 0"/>`,
};

/** A decorative icon (the word beside it carries the meaning). */
export function statusIcon(icon: Icon): TemplateResult {
  return html`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${SHAPES[icon]}</svg>`;
}

/** Icon + word, coloured by tone; `part="status status-<tone>"` for hosts. */
export function renderTone(tone: Tone, label: string, icon: Icon = tone): TemplateResult {
  return html`<span class="status" data-tone=${tone} part="status status-${tone}">${statusIcon(icon)}<span>${label}</span></span>`;
}

export const renderStatus = (status: HealthStatus): TemplateResult => renderTone(status, STATUS_LABELS[status]);

export const renderSeverity = (severity: AlertSeverity): TemplateResult => renderTone(severity, SEVERITY_LABELS[severity]);

const SLA_TONES: Record<SlaStateName, Tone> = { meeting: 'healthy', breach: 'critical', pending: 'unknown' };
export const renderSlaState = (state: SlaStateName): TemplateResult => renderTone(SLA_TONES[state], SLA_STATE_LABELS[state]);

const JOB_TONES: Record<JobStatus, Tone> = { success: 'healthy', warning: 'warning', failed: 'critical', running: 'unknown' };
export const renderJobStatus = (status: JobStatus): TemplateResult => renderTone(JOB_TONES[status], JOB_STATUS_LABELS[status]);
