import { BackupHealthBadge } from './component.ts';

export { BackupHealthBadge };
BackupHealthBadge.define('backup-health-badge');
