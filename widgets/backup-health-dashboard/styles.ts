import { css } from 'lit';

export const dashboardStyles = css`
  .tablist {
    display: flex;
    flex-wrap: wrap;
    gap: 2px;
    border-bottom: 1px solid var(--_border);
    margin-bottom: var(--_space);
  }
  [role='tab'] {
    border: none;
    border-bottom: 3px solid transparent;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: none;
    padding: var(--_space) calc(var(--_space) * 2);
    font-weight: 600;
    color: var(--_text-muted);
  }
  [role='tab'][aria-selected='true'] {
    color: var(--_text);
    border-bottom-color: var(--_accent);
  }
  [role='tab']:hover {
    color: var(--_text);
  }
  [role='tabpanel'] {
    outline-offset: 2px;
  }
  [role='tabpanel'][hidden] {
    display: none;
  }
  .drilldown {
    display: flex;
    gap: var(--_space);
    align-items: center;
    padding: var(--_space);
    background: var(--_surface-alt);
    border-radius: var(--_radius);
  }
`;
