-- Ingestion stores events and queues them per device for the first evaluation to fold
-- (issue #19): one line per batch, each a JSON array of the batch's events of that
-- device; `checkin_at` is the newest queued check-in, so a stale one is still told at
-- ingest (check-ins are not stored elsewhere).
ALTER TABLE `evaluation_queue` ADD `events` text;
--> statement-breakpoint
ALTER TABLE `evaluation_queue` ADD `checkin_at` integer;
