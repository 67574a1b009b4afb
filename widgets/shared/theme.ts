import { css, unsafeCSS } from 'lit';
import { DARK, LIGHT, type Palette } from './palettes.ts';

/**
 * Design tokens. Public `--bh-*` custom properties feed private `--_*` ones on the
 * `part="base"` wrapper of every widget. A `--bh-*` value set anywhere above the widget
 * (the element itself, a provider, the page) wins in both themes; unset, the value comes
 * from the theme: light by default, dark with `theme="dark"` (on the element or its
 * provider), and the viewer's `prefers-color-scheme` with `theme="auto"` or none.
 *
 * The tokens: `--bh-font-family`, `--bh-font-size`, `--bh-radius`, `--bh-spacing`, and
 * the colours `--bh-color-surface`, `-surface-alt`, `-text`, `-text-muted`, `-border`,
 * `-accent`, `-on-accent`, `-focus`, `-healthy`, `-warning`, `-critical`, `-unknown`
 * (the status colours are also text colours: keep 4.5:1 contrast with the surface).
 */
/** `--_surface: var(--bh-color-surface, #fff);` for every colour of a palette. */
const colourDeclarations = (palette: Palette) =>
  unsafeCSS(
    Object.entries(palette)
      .map(([name, value]) => `--_${name}: var(--bh-color-${name}, ${value});`)
      .join('\n'),
  );

export const themeStyles = css`
  :host {
    display: block;
    font-family: var(--bh-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--bh-font-size, 0.875rem);
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    ${colourDeclarations(LIGHT)}
    --_radius: var(--bh-radius, 6px);
    --_space: var(--bh-spacing, 0.5rem);
    color-scheme: light;
    color: var(--_text);
    background: var(--_surface);
    box-sizing: border-box;
  }
  .base[data-theme='dark'] {
    ${colourDeclarations(DARK)}
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    .base[data-theme='auto'] {
      ${colourDeclarations(DARK)}
      color-scheme: dark;
    }
  }
`;
