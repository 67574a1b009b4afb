/**
 * The virtualizer the table scrolls its rows with: a chunk of its own, fetched beside the
 * first page of devices (the table shows "Loading devices…" until both are here), so a
 * page that never shows the table never downloads it.
 */
export { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
