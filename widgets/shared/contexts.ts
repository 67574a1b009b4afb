/**
 * Contexts handed down by `<backup-health-provider>` (and re-provided by widgets that
 * nest others, such as the dashboard), so children need no attributes of their own.
 */
import { createContext } from '@lit/context';
import type { ApiClient } from './api-client.ts';

export type ThemeName = 'light' | 'dark' | 'auto';

/** The API client (and through it the shared live stream). */
export const apiContext = createContext<ApiClient | undefined>(Symbol.for('backup-health/api-client'));

/** The theme chosen by an ancestor; a widget's own `theme` attribute wins. */
export const themeContext = createContext<ThemeName | undefined>(Symbol.for('backup-health/theme'));
