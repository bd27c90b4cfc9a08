ALTER TABLE `orders` ADD `created_iso` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `updated_iso` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `paid_iso` text;--> statement-breakpoint
-- The times as the API shows them, in the expression the read statements
-- used before (it matches JavaScript's toISOString to the millisecond):
-- existing rows now, new and updated rows by the triggers below.
UPDATE `orders` SET
  `created_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', `created_at` / 1000.0, 'unixepoch'),
  `updated_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', `updated_at` / 1000.0, 'unixepoch');--> statement-breakpoint
UPDATE `payments` SET
  `paid_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', `paid_at` / 1000.0, 'unixepoch')
WHERE `paid_at` IS NOT NULL;--> statement-breakpoint
CREATE TRIGGER `orders_iso_times_on_insert` AFTER INSERT ON `orders` BEGIN
  UPDATE `orders` SET
    `created_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`created_at` / 1000.0, 'unixepoch'),
    `updated_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`updated_at` / 1000.0, 'unixepoch')
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `orders_iso_times_on_update` AFTER UPDATE OF `created_at`, `updated_at` ON `orders` BEGIN
  UPDATE `orders` SET
    `created_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`created_at` / 1000.0, 'unixepoch'),
    `updated_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`updated_at` / 1000.0, 'unixepoch')
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `payments_iso_paid_at_on_insert` AFTER INSERT ON `payments` BEGIN
  UPDATE `payments` SET
    `paid_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`paid_at` / 1000.0, 'unixepoch')
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `payments_iso_paid_at_on_update` AFTER UPDATE OF `paid_at` ON `payments` BEGIN
  UPDATE `payments` SET
    `paid_iso` = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`paid_at` / 1000.0, 'unixepoch')
  WHERE `id` = NEW.`id`;
END;
