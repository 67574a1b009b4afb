import { BackupHealthProvider } from './component.ts';

export { BackupHealthProvider };
BackupHealthProvider.define('backup-health-provider');
