import { css } from 'lit';

export const deviceDetailStyles = css`
  .base {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 1.5);
  }
  h2 {
    margin: 0;
    font-size: 1.35em;
  }
  h3 {
    margin: 0 0 var(--_space);
    font-size: 1.05em;
  }
  .headline {
    display: flex;
    gap: calc(var(--_space) * 2);
    align-items: center;
    margin: calc(var(--_space) * 0.5) 0 0;
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
    gap: var(--_space) calc(var(--_space) * 2);
    margin: 0;
  }
  .facts dt {
    color: var(--_text-muted);
    font-size: 0.85em;
  }
  .facts dd {
    margin: 0;
  }
  .reasons,
  .alerts,
  .dr-tests {
    margin: var(--_space) 0 0;
    padding-inline-start: 1.2em;
  }
  .alerts li,
  .dr-tests li {
    margin-bottom: var(--_space);
  }
  .chart {
    position: relative;
    height: 14rem;
  }
  .table-wrap {
    overflow-x: auto;
    /* Contains absolutely placed text for screen readers, which would otherwise widen the page. */
    position: relative;
  }
  .manual-result {
    margin-bottom: var(--_space);
  }
  .manual-result summary {
    cursor: pointer;
    color: var(--_accent);
    font-weight: 600;
  }
  .manual-result form {
    display: grid;
    gap: var(--_space);
    max-width: 32rem;
    padding-top: var(--_space);
  }
  .manual-result .choices {
    display: flex;
    gap: calc(var(--_space) * 2);
    border: none;
    padding: 0;
    margin: 0;
  }
  .manual-result textarea {
    font: inherit;
    resize: vertical;
  }
  .field-error {
    color: var(--_critical);
    font-size: 0.9em;
  }
  .badge {
    display: inline-block;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 0 0.45em;
    font-size: 0.85em;
  }
  .reporting {
    display: grid;
    gap: calc(var(--_space) * 0.75);
    margin: 0;
  }
  .reporting dt {
    color: var(--_text-muted);
  }
  .reporting dd {
    margin: 0;
    display: flex;
    gap: var(--_space);
    align-items: center;
  }
  .reporting code {
    overflow-wrap: anywhere;
  }
`;
