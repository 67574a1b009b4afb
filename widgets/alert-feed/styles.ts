import { css } from 'lit';

export const alertFeedStyles = css`
  .alerts {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
  .alert article {
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_tone, var(--_border));
    border-radius: var(--_radius);
    padding: var(--_space) calc(var(--_space) * 1.5);
    background: var(--_surface);
  }
  .alert[data-severity='critical'] {
    --_tone: var(--_critical);
  }
  .alert[data-severity='warning'] {
    --_tone: var(--_warning);
  }
  .alert[data-state='resolved'] article {
    border-inline-start-color: var(--_border);
  }
  .alert-head {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: center;
  }
  .alert-title {
    font-weight: 600;
  }
  .alert-state {
    margin-inline-start: auto;
    font-size: 0.85em;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 0 0.6em;
  }
  .alert p {
    margin: calc(var(--_space) * 0.5) 0;
  }
  .alert-actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
  }
  .acknowledged q {
    white-space: pre-wrap;
  }
  .check {
    display: inline-flex;
    gap: 0.4em;
    align-items: center;
  }
  .summary {
    align-self: center;
  }
  [part~='more-button'] {
    margin-top: var(--_space);
  }
`;
