import { css } from 'lit';

export const complianceStyles = css`
  .summary {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 1.5);
    margin: var(--_space) 0;
  }
  .summary > div {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space) calc(var(--_space) * 1.5);
    min-width: 9rem;
  }
  .summary dt {
    font-size: 0.85em;
    color: var(--_text-muted);
  }
  .summary dd {
    margin: 0;
    font-size: 1.25em;
    font-variant-numeric: tabular-nums;
  }
  .summary dd.big {
    font-size: 1.6em;
    font-weight: 600;
  }
  .table-wrap {
    overflow-x: auto;
    /* Contains absolutely placed text for screen readers, which would otherwise widen the page. */
    position: relative;
  }
`;
