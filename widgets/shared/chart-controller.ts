import type { ReactiveController } from 'lit';
import type { Chart, ChartConfiguration } from 'chart.js';
import type { BhElement } from './base-element.ts';

let chartModule: Promise<typeof Chart> | undefined;

/** Loads chart.js on first use, as its own chunk: most widget views never draw a chart. */
export function loadChart(): Promise<typeof Chart> {
  return (chartModule ??= import('./chart.ts').then((module) => module.Chart));
}

/** Theme colours read from the widget's tokens, so charts follow light/dark and overrides. */
export interface ChartPalette {
  text: string;
  muted: string;
  border: string;
  accent: string;
  healthy: string;
  warning: string;
  critical: string;
  unknown: string;
}

function readPalette(element: Element): ChartPalette {
  const style = getComputedStyle(element);
  const token = (name: string) => style.getPropertyValue(`--_${name}`).trim();
  return {
    text: token('text'),
    muted: token('text-muted'),
    border: token('border'),
    accent: token('accent'),
    healthy: token('healthy'),
    warning: token('warning'),
    critical: token('critical'),
    unknown: token('unknown'),
  };
}

export interface ChartControllerOptions<D> {
  /** The canvas to draw on, once rendered. */
  canvas: () => HTMLCanvasElement | null | undefined;
  /** The data to chart; a new identity redraws, undefined removes the chart. */
  data: () => D | undefined;
  /** May be async: a widget in the entry bundle loads its chart configuration with chart.js. */
  config: (data: D, palette: ChartPalette) => ChartConfiguration | Promise<ChartConfiguration>;
}

/**
 * Draws a chart.js chart after the host renders, loading chart.js on first use. It
 * redraws when the data identity or the theme changes (including the viewer switching
 * their colour scheme under `theme="auto"`) and destroys the chart on disconnect.
 */
export class ChartController<D> implements ReactiveController {
  readonly #host: BhElement;
  readonly #options: ChartControllerOptions<D>;
  #chart?: Chart;
  #drawn?: { canvas: HTMLCanvasElement; data: D; theme: string };
  #generation = 0;
  #colorScheme?: MediaQueryList;
  #onColorScheme = () => {
    this.#drawn = undefined;
    this.#host.requestUpdate();
  };

  /** Settles when the latest chart is drawn. */
  ready: Promise<void> = Promise.resolve();

  constructor(host: BhElement, options: ChartControllerOptions<D>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#colorScheme = matchMedia('(prefers-color-scheme: dark)');
    this.#colorScheme.addEventListener('change', this.#onColorScheme);
  }

  hostDisconnected(): void {
    this.#colorScheme?.removeEventListener('change', this.#onColorScheme);
    this.#destroy();
  }

  hostUpdated(): void {
    const canvas = this.#options.canvas();
    const data = this.#options.data();
    if (!canvas || data === undefined) {
      this.#destroy();
      return;
    }
    const theme = this.#host.effectiveTheme;
    const drawn = this.#drawn;
    if (drawn && drawn.canvas === canvas && drawn.data === data && drawn.theme === theme) return;
    this.#drawn = { canvas, data, theme };
    this.ready = this.#draw(canvas, data);
  }

  async #draw(canvas: HTMLCanvasElement, data: D): Promise<void> {
    const generation = ++this.#generation;
    const [ChartClass, config] = await Promise.all([loadChart(), this.#options.config(data, readPalette(canvas))]);
    if (generation !== this.#generation || !canvas.isConnected) return;
    this.#chart?.destroy();
    this.#chart = new ChartClass(canvas, config);
  }

  #destroy(): void {
    this.#generation += 1;
    this.#chart?.destroy();
    this.#chart = undefined;
    this.#drawn = undefined;
  }
}
