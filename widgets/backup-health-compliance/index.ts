import { BackupHealthCompliance } from './component.ts';

export { BackupHealthCompliance };
BackupHealthCompliance.define('backup-health-compliance');
