import type { ChartConfiguration } from 'chart.js';
import type { ClientItem } from '../../core/api.ts';
import { HEALTH_STATUSES } from '../../core/types.ts';
import type { ChartPalette } from '../shared/chart-controller.ts';
import { baseChartOptions } from '../shared/chart-options.ts';
import { STATUS_LABELS } from '../shared/labels.ts';

/** Devices per status for each client, as horizontal stacked bars (names stay readable). */
export function statusChartConfig(clients: readonly ClientItem[], palette: ChartPalette): ChartConfiguration {
  const base = baseChartOptions(palette);
  return {
    type: 'bar',
    data: {
      labels: clients.map((client) => client.name),
      datasets: HEALTH_STATUSES.map((status) => ({
        label: STATUS_LABELS[status],
        data: clients.map((client) => client.counts[status]),
        backgroundColor: palette[status],
        borderColor: palette[status],
        borderWidth: 1,
      })),
    },
    options: {
      ...base,
      indexAxis: 'y',
      scales: {
        x: { ...base.scales.x, stacked: true, beginAtZero: true, ticks: { color: palette.muted, precision: 0 } },
        y: { ...base.scales.y, stacked: true },
      },
    },
  };
}

