/**
 * The two themes' colours, by token name (`surface` is `--bh-color-surface`). Plain
 * data, so a host page or the demo can show the defaults it would override.
 */
export const LIGHT = {
  surface: '#ffffff',
  'surface-alt': '#f6f8fa',
  text: '#1f2328',
  'text-muted': '#59636e',
  border: '#d1d9e0',
  accent: '#0969da',
  'on-accent': '#ffffff',
  focus: '#0969da',
  healthy: '#1a7f37',
  warning: '#9a6700',
  critical: '#d1242f',
  unknown: '#59636e',
};

export const DARK: Palette = {
  surface: '#0d1117',
  'surface-alt': '#151b23',
  text: '#f0f6fc',
  'text-muted': '#9198a1',
  border: '#3d444d',
  accent: '#4493f8',
  'on-accent': '#0d1117',
  focus: '#4493f8',
  healthy: '#3fb950',
  warning: '#d29922',
  critical: '#f85149',
  unknown: '#9198a1',
};

export type Palette = typeof LIGHT;
