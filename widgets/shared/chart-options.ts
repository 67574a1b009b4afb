import type { ChartPalette } from './chart-controller.ts';

// Apart from chart-controller.ts, so that the entry bundle does not carry it: only the
// lazily loaded chart configurations use it.

/** Axis and legend colours for a palette; motion off for people who asked for less. */
export function baseChartOptions(palette: ChartPalette) {
  const axis = { ticks: { color: palette.muted }, grid: { color: palette.border }, border: { color: palette.border } };
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: matchMedia('(prefers-reduced-motion: reduce)').matches ? (false as const) : { duration: 250 },
    plugins: { legend: { labels: { color: palette.text } } },
    scales: { x: { ...axis }, y: { ...axis, beginAtZero: true } },
  };
}

