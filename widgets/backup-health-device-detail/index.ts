import { BackupHealthDeviceDetail } from './component.ts';

export { BackupHealthDeviceDetail };
BackupHealthDeviceDetail.define('backup-health-device-detail');
