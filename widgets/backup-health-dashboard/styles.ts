import { css } from 'lit';

export const dashboardStyles = css`
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    border-bottom: 1px solid var(--_border);
    margin-bottom: var(--_space);
  }
  .tablist {
    display: flex;
    flex-wrap: wrap;
    gap: 2px;
    flex: 1 1 auto;
  }
  .views-button {
    margin-bottom: 3px;
  }
  #saved-views:not([hidden]) {
    margin-bottom: var(--_space);
  }
  [role='tab'] {
    border: none;
    border-bottom: 3px solid transparent;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: none;
    padding: var(--_space) calc(var(--_space) * 2);
    font-weight: 600;
    color: var(--_text-muted);
  }
  [role='tab'][aria-selected='true'] {
    color: var(--_text);
    border-bottom-color: var(--_accent);
  }
  [role='tab']:hover {
    color: var(--_text);
  }
  [role='tabpanel'] {
    outline-offset: 2px;
  }
  [role='tabpanel'][hidden] {
    display: none;
  }
  .drilldown {
    display: flex;
    gap: var(--_space);
    align-items: center;
    padding: var(--_space);
    background: var(--_surface-alt);
    border-radius: var(--_radius);
  }
  .strip {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    margin-bottom: var(--_space);
  }
  .count {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 2px;
    min-width: 8rem;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    text-align: left;
    cursor: pointer;
  }
  .count strong {
    font-size: 1.4em;
    font-variant-numeric: tabular-nums;
  }
  .count[aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
    background: var(--_surface-alt);
  }
  .count:hover {
    background: var(--_surface-alt);
  }
  /* On a phone the five counts share one or two compact lines above the devices. */
  .base {
    container-type: inline-size;
  }
  @container (max-width: 600px) {
    .strip {
      gap: calc(var(--_space) * 0.5);
    }
    .count {
      min-width: 0;
      /* Wide enough for the longest label with its icon ("Unknown", "Unbekannt"): three a line at 390 px. */
      flex: 1 1 6rem;
      padding: calc(var(--_space) * 0.5);
      font-size: 0.85em;
    }
    .count strong {
      font-size: 1.2em;
    }
  }
`;
