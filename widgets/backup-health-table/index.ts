import { BackupHealthTable } from './component.ts';

export { BackupHealthTable };
BackupHealthTable.define('backup-health-table');
