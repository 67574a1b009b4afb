import { css } from 'lit';

export const tableStyles = css`
  /* Narrow or wide follows the widget's own width, not the window's: an embed in a
     sidebar gets cards on a desktop too. */
  .base {
    container-type: inline-size;
  }
  .search input {
    min-width: 14rem;
  }
  .summary {
    align-self: end;
    line-height: 2rem;
  }
  .scroll-x {
    overflow-x: auto;
    /* Contains absolutely placed text for screen readers, which would otherwise widen the page. */
    position: relative;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .table {
    /* Status, Device, Client, Kind, Score, Last success, Policy, Storage: all fit in
       73rem (1,168 px); names and policies take what is left, ellipsized
       (the full text in a tooltip). Status and Score are wide enough for the German
       words ("Unbekannt" with its icon, "Bewertung" with its sort arrow). */
    --_columns: 8.75rem minmax(7.5rem, 1fr) minmax(8rem, 1.25fr) 7rem 7rem 8.5rem minmax(8rem, 1.3fr) 13rem;
    min-width: 73rem;
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
  /* Below ~600 px each device is a card: status and score on top, the name, then the
     other columns labelled. The roles stay a table's, so screen readers still hear
     rows and cells; the header row becomes a strip of sort buttons. */
  @container (max-width: 600px) {
    .search {
      flex: 1 1 100%;
    }
    .search input {
      min-width: 0;
      width: 100%;
    }
    .toolbar label.field:not(.search) {
      flex: 1 1 8rem;
    }
    .toolbar select {
      width: 100%;
    }
    .table {
      min-width: 0;
    }
    .scroll-x {
      overflow-x: visible;
    }
    .head .row {
      display: flex;
      flex-wrap: wrap;
      gap: 2px calc(var(--_space) * 0.5);
      padding: calc(var(--_space) * 0.5);
    }
    .head .cell {
      padding: 0;
      overflow: visible;
    }
    .body .row {
      grid-template-columns: 1fr auto;
      grid-template-areas: 'status score' 'name name';
      gap: 2px var(--_space);
      padding: var(--_space);
      align-items: start;
    }
    .body .cell {
      grid-column: 1 / -1;
      padding: 0;
      white-space: normal;
    }
    .body .cell[data-column='status'] {
      grid-area: status;
    }
    .body .cell[data-column='score'] {
      grid-area: score;
    }
    .body .cell[data-column='score']::before {
      content: attr(data-label) ' ';
      color: var(--_text-muted);
    }
    .body .cell[data-column='name'] {
      grid-area: name;
      font-size: 1.05em;
    }
    .body .cell.labelled {
      display: flex;
      gap: var(--_space);
    }
    .body .cell.labelled::before {
      content: attr(data-label);
      color: var(--_text-muted);
      /* Room for the longest label on one line ("Belegter Speicher"). */
      flex: 0 0 8.5rem;
    }
  }
  .policy {
    display: flex;
    align-items: center;
    gap: 0.4em;
    min-width: 0;
  }
  .policy-name {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .policy .runs {
    flex: none;
  }
  .policy .runs li {
    width: 0.3em;
  }
  .maintenance {
    font-size: 0.8em;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 0 0.4em;
    white-space: nowrap;
  }
`;
