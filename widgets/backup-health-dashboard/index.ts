import '../backup-health-table/index.ts';
import '../client-compliance/index.ts';
import '../alert-feed/index.ts';
import '../backup-health-compliance/index.ts';
import { BackupHealthDashboard } from './component.ts';

export { BackupHealthDashboard };
BackupHealthDashboard.define('backup-health-dashboard');
