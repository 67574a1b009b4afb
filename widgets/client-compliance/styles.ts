import { css } from 'lit';

export const clientComplianceStyles = css`
  .layout {
    display: grid;
    gap: calc(var(--_space) * 2);
    grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr);
    align-items: start;
  }
  @container (max-width: 48rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .base {
    container-type: inline-size;
  }
  .table-wrap {
    overflow-x: auto;
    /* Contains absolutely placed text for screen readers, which would otherwise widen the page. */
    position: relative;
  }
  .chart {
    position: relative;
    min-height: 16rem;
    height: calc(3rem + var(--_rows, 4) * 2.25rem);
  }
  .compliance {
    white-space: nowrap;
  }
  .breach {
    display: block;
    font-size: 0.85em;
  }
`;
