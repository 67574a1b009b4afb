import { css } from 'lit';

export const tableStyles = css`
  .search input {
    min-width: 14rem;
  }
  .summary {
    align-self: end;
    line-height: 2rem;
  }
  .scroll-x {
    overflow-x: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .table {
    /* Status, Device, Client, Kind, Score, Last success, Policy, Storage: all fit in
       70rem (1,120 px); names and policies take what is left, ellipsized
       (the full text in a tooltip). */
    --_columns: 7.5rem minmax(7.5rem, 1fr) minmax(8rem, 1.25fr) 7rem 5rem 8.5rem minmax(8rem, 1.3fr) 13rem;
    min-width: 70rem;
  }
  .row {
    display: grid;
    grid-template-columns: var(--_columns);
    align-items: center;
    width: 100%;
    min-height: 2.75rem;
    border-bottom: 1px solid var(--_border);
  }
  .head .row {
    background: var(--_surface-alt);
  }
  .cell {
    padding: calc(var(--_space) * 0.5) var(--_space);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .cell.number {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  [role='columnheader'] {
    white-space: normal;
  }
  [role='columnheader'].number {
    display: flex;
    justify-content: flex-end;
  }
  .body {
    height: var(--bh-table-height, 28rem);
  }
  .body .row {
    cursor: pointer;
    background: var(--_surface);
  }
  .body .row:hover {
    background: var(--_surface-alt);
  }
  .body .row:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  .device-name {
    font-weight: 600;
  }
  dialog.detail {
    margin: 0 0 0 auto;
    height: 100vh;
    max-height: 100vh;
    width: min(44rem, 100vw);
    max-width: 100vw;
    border: none;
    border-inline-start: 1px solid var(--_border);
    padding: calc(var(--_space) * 2);
    background: var(--_surface);
    color: var(--_text);
  }
  dialog.detail::backdrop {
    background: rgb(0 0 0 / 0.35);
  }
  .detail-bar {
    display: flex;
    justify-content: flex-end;
    margin-bottom: var(--_space);
  }
`;
