-- The running jobs of a device, for pairing a ping's end with its start: the ping path
-- asks for the newest running job of a device on every end. Over jobs_device_started
-- that walks every job of the last 24 h (a device pinging every minute has 1,440); this
-- index holds only the jobs still running (usually none or one per device).
CREATE INDEX `jobs_running` ON `jobs` (`tenant_id`, `device_id`, `started_at`) WHERE status = 'running';
