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
`;
