import { css } from 'lit';

export const settingsStyles = css`
  .sections {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 2);
  }
  section.base {
    border: 1px solid var(--_border);
    padding: calc(var(--_space) * 1.5) calc(var(--_space) * 2);
  }
  h2 {
    margin: 0 0 var(--_space);
    font-size: 1.15em;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space) calc(var(--_space) * 1.5);
    margin: 0;
    /* A fieldset is as wide as its widest content by default: let its tables scroll instead. */
    min-inline-size: 0;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25em;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space) calc(var(--_space) * 1.5);
    align-items: end;
  }
  .field.wide {
    flex: 1 1 18rem;
  }
  .check {
    display: inline-flex;
    gap: 0.4em;
    align-items: center;
  }
  .hint {
    margin: 0;
    font-size: 0.85em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: center;
  }
  .table-wrap {
    overflow-x: auto;
    /* Contains absolutely placed text for screen readers, which would otherwise widen the page. */
    position: relative;
  }
  table.data input {
    width: 7rem;
  }
  table.data input[type='text'] {
    width: 14rem;
  }
  .integration-status {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space) calc(var(--_space) * 3);
    margin: 0 0 var(--_space);
    padding: var(--_space);
    background: var(--_surface-alt);
    border-radius: var(--_radius);
  }
  .integration-status dt {
    font-size: 0.85em;
    color: var(--_text-muted);
  }
  .integration-status dd {
    margin: 0;
  }

  .quiet-list {
    list-style: none;
    margin: 0 0 var(--_space);
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
  .quiet-item {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space) calc(var(--_space) * 1.5);
  }
  .quiet-item p {
    margin: calc(var(--_space) * 0.5) 0;
  }
  .quiet-head {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: center;
  }
  h3 {
    margin: 0;
    font-size: 1em;
  }
  .next {
    margin: 0 0 var(--_space);
    padding-inline-start: 1.5em;
  }
  .next-label {
    font-size: 0.85em;
  }
  .quiet-form {
    margin-top: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
    background: var(--_surface-alt);
    border-radius: var(--_radius);
  }
  .field-error,
  .field > .field-error {
    display: block;
    font-size: 0.85em;
    white-space: normal;
    color: var(--_tone);
  }
  /* Ingest: keys, URLs and addresses are long unbroken words; a phone wraps them. */
  code {
    overflow-wrap: anywhere;
  }
  select {
    max-inline-size: 100%;
  }
  .field {
    min-inline-size: 0;
    max-inline-size: 100%;
  }
  .reporting {
    margin: 0 0 var(--_space);
  }
  .reporting > div {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_space);
  }
  .reporting dt {
    font-weight: 600;
    min-inline-size: 11em;
  }
  .reporting dd {
    margin: 0;
    min-inline-size: 0;
  }
  dialog {
    max-inline-size: min(32rem, calc(100vw - 2rem));
  }
`;
