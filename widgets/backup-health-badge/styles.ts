import { css } from 'lit';

export const badgeStyles = css`
  :host {
    display: inline-block;
  }
  .badge {
    border: 1px solid var(--_border);
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.25);
  }
  .content {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5);
  }
  .name {
    font-weight: 600;
  }
  .overall {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
  }
  .figure {
    font-variant-numeric: tabular-nums;
  }
  /* States sit inside the badge's own border. */
  .badge .state,
  .badge .state[data-tone] {
    margin: 0;
    padding: 0;
    border: none;
  }
`;
