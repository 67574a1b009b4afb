import { BackupHealthBrandingSettings } from './branding-settings.ts';
import { BackupHealthSettings } from './component.ts';
import { BackupHealthMaintenanceSettings } from './maintenance-settings.ts';
import { BackupHealthOnCallSettings } from './oncall-settings.ts';
import { BackupHealthPsaSettings } from './psa-settings.ts';
import { BackupHealthReportSettings } from './report-settings.ts';
import { BackupHealthSilenceSettings } from './silence-settings.ts';
import { BackupHealthSlaSettings } from './sla-settings.ts';

export { BackupHealthSettings, BackupHealthSlaSettings, BackupHealthReportSettings, BackupHealthBrandingSettings, BackupHealthPsaSettings, BackupHealthOnCallSettings, BackupHealthMaintenanceSettings, BackupHealthSilenceSettings };
BackupHealthSlaSettings.define('backup-health-sla-settings');
BackupHealthReportSettings.define('backup-health-report-settings');
BackupHealthBrandingSettings.define('backup-health-branding-settings');
BackupHealthPsaSettings.define('backup-health-psa-settings');
BackupHealthOnCallSettings.define('backup-health-oncall-settings');
BackupHealthMaintenanceSettings.define('backup-health-maintenance-settings');
BackupHealthSilenceSettings.define('backup-health-silence-settings');
BackupHealthSettings.define('backup-health-settings');
