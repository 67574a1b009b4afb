/**
 * The lazily loaded chart.js chunk: only the controllers the widgets draw (a line for
 * storage trends, stacked bars for statuses per client) are registered, so the rest of
 * chart.js is tree-shaken out. Import it only through `loadChart()`.
 */
import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

export { Chart };
