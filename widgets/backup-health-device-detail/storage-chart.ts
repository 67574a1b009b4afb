import type { ChartConfiguration } from 'chart.js';
import { msg, str } from '@lit/localize';
import type { DeviceDetail } from '../../core/api.ts';
import type { ChartPalette } from '../shared/chart-controller.ts';
import { baseChartOptions } from '../shared/chart-options.ts';
import { formatBytes, formatDate } from '../shared/format.ts';

/** A line of storage used over time, with the quota as a dashed line when there is one; days on the axis in `timeZone` (the view's). */
export function storageTrendConfig(history: DeviceDetail['storageHistory'], palette: ChartPalette, timeZone?: string): ChartConfiguration {
  const base = baseChartOptions(palette);
  const quota = history.map((point) => point.quotaBytes);
  const hasQuota = quota.some((value) => value !== null && value > 0);
  return {
    type: 'line',
    data: {
      labels: history.map((point) => formatDate(point.at, timeZone)),
      datasets: [
        { label: msg('Used'), data: history.map((point) => point.usedBytes), borderColor: palette.accent, backgroundColor: palette.accent, pointRadius: 2, tension: 0.2 },
        ...(hasQuota ? [{ label: msg('Quota'), data: quota, borderColor: palette.muted, backgroundColor: palette.muted, borderDash: [6, 4], pointRadius: 0 }] : []),
      ],
    },
    options: {
      ...base,
      scales: { ...base.scales, y: { ...base.scales.y, ticks: { color: palette.muted, callback: (value) => formatBytes(Number(value)) } } },
      plugins: {
        ...base.plugins,
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatBytes(Number(item.raw))}` } },
      },
    },
  };
}

/** The chart in words, for the canvas's accessible name. */
export function describeStorageTrend(history: DeviceDetail['storageHistory'], timeZone?: string): string {
  if (history.length === 0) return msg('No storage reports yet.');
  const first = history[0]!;
  const last = history[history.length - 1]!;
  return msg(str`Storage used went from ${formatBytes(first.usedBytes)} on ${formatDate(first.at, timeZone)} to ${formatBytes(last.usedBytes)} on ${formatDate(last.at, timeZone)} (${history.length} reports).`);
}
