import { css } from 'lit';

/** Controls, states and status chips shared by every widget. */
export const sharedStyles = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .base {
    border-radius: var(--_radius);
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
  }
  button,
  select,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-alt);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.25);
    min-height: 2rem;
  }
  button:hover:not(:disabled) {
    border-color: var(--_text-muted);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    min-height: 0;
    color: var(--_accent);
    text-align: start;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  select,
  input:not([type='checkbox']):not([type='radio']),
  textarea {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: calc(var(--_space) * 0.5) var(--_space);
    min-height: 2rem;
  }
  a {
    color: var(--_accent);
  }
  .muted {
    color: var(--_text-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--_space);
    padding: var(--_space) 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .field > span {
    font-size: 0.8em;
    color: var(--_text-muted);
  }
  .spacer {
    flex: 1;
  }
  .export-buttons {
    display: inline-flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: center;
  }

  /* Status: icon + word + colour, never colour alone. */
  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    font-weight: 600;
    white-space: nowrap;
    color: var(--_tone, var(--_text));
  }
  .status {
    vertical-align: middle;
  }
  .status svg {
    width: 1.1em;
    height: 1.1em;
    flex: none;
  }
  [data-tone='healthy'] {
    --_tone: var(--_healthy);
  }
  [data-tone='warning'] {
    --_tone: var(--_warning);
  }
  [data-tone='critical'] {
    --_tone: var(--_critical);
  }
  [data-tone='unknown'] {
    --_tone: var(--_unknown);
  }

  /* Loading, empty, error and expired-session panels. */
  .state {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--_space);
    padding: calc(var(--_space) * 2);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    margin: var(--_space) 0;
  }
  .state p {
    margin: 0;
  }
  .state[data-tone] {
    border-style: solid;
    border-color: var(--_tone);
  }
  .state-title {
    font-weight: 600;
  }
  .spinner {
    width: 1.25rem;
    height: 1.25rem;
    border-radius: 50%;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    animation: spin 0.8s linear infinite;
  }
  .state.loading {
    flex-direction: row;
    align-items: center;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }

  table.data {
    border-collapse: collapse;
    width: 100%;
  }
  table.data th,
  table.data td {
    text-align: start;
    padding: calc(var(--_space) * 0.6) var(--_space);
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  table.data th {
    font-weight: 600;
  }
  table.data thead th {
    background: var(--_surface-alt);
  }
  table.data td.number,
  table.data th.number {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  button.sort {
    all: unset;
    box-sizing: border-box;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    gap: 0.25em;
    max-width: 100%;
    font-weight: 600;
    border-radius: 2px;
  }
  button.sort:hover {
    text-decoration: underline;
  }
  button.sort:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .sort-indicator {
    width: 0.8em;
    height: 0.8em;
    opacity: 0.8;
  }
`;

/** The storage bar of `renderStorage()`, used by the table and the detail panel. */
export const storageStyles = css`
  .storage {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    min-width: 0;
  }
  .storage-bar {
    width: 4rem;
    height: 0.5rem;
    flex: none;
    border-radius: 999px;
    background: var(--_surface-alt);
    border: 1px solid var(--_border);
    overflow: hidden;
  }
  .storage-bar > span {
    display: block;
    height: 100%;
    background: var(--_tone, var(--_accent));
  }
  .storage-text {
    overflow: hidden;
    text-overflow: ellipsis;
  }
`;
