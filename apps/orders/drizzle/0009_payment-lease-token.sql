ALTER TABLE `payments` ADD `lease_token` text;--> statement-breakpoint
CREATE INDEX `payments_unsettled_idx` ON `payments` (`updated_at`) WHERE status in ('pending', 'unknown');