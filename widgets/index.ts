/**
 * Backup Health widgets: importing this module registers every widget tag (guarded, so a page
 * that loads it twice keeps working). Built into `/widgets/backup-health.js`.
 *
 * @example
 * <script type="module" src="https://bff.example.com/widgets/backup-health.js"></script>
 * <backup-health-dashboard api-base="https://bff.example.com" token="…"></backup-health-dashboard>
 * @module
 */
// The provider first: widgets defined after it find it through context at once.
// Parts load on demand as their own chunks, keeping every embed's first download
// small: the device detail panel (when the table opens a device), the admin settings
// forms (when the dashboard's Settings tab opens), the alert feed's silence dialog,
// the table's row virtualizer (fetched beside its first page of devices), the dashboard's
// saved views panel, the CSV writer, the compliance download and chart.js. Import
// 'widgets/backup-health-device-detail' or 'widgets/backup-health-settings' to use
// them on their own.
import './backup-health-provider/index.ts';
import './backup-health-table/index.ts';
import './client-compliance/index.ts';
import './alert-feed/index.ts';
import './backup-health-badge/index.ts';
import './backup-health-compliance/index.ts';
import './backup-health-dashboard/index.ts';

export { BackupHealthProvider } from './backup-health-provider/component.ts';
export { BackupHealthTable } from './backup-health-table/component.ts';
export { ClientCompliance } from './client-compliance/component.ts';
export { AlertFeed } from './alert-feed/component.ts';
export { BackupHealthBadge } from './backup-health-badge/component.ts';
export { BackupHealthCompliance } from './backup-health-compliance/component.ts';
export { BackupHealthDashboard, type DashboardTab } from './backup-health-dashboard/component.ts';
export { ApiClient, type DeviceQuery, type AlertQuery, type SettingsSection } from './shared/api-client.ts';
export { ProblemError, AuthExpiredError } from './shared/api-errors.ts';
export { apiContext, themeContext, type ThemeName } from './shared/contexts.ts';
export { defineElement } from './shared/define.ts';
export type { BhEventDetails, BhEventName, ExportDetail } from './shared/events.ts';
