-- Superseded by orders.order_json (migration 0006), which holds these times.
DROP TRIGGER `orders_iso_times_on_insert`;--> statement-breakpoint
DROP TRIGGER `orders_iso_times_on_update`;--> statement-breakpoint
DROP TRIGGER `payments_iso_paid_at_on_insert`;--> statement-breakpoint
DROP TRIGGER `payments_iso_paid_at_on_update`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `created_iso`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `updated_iso`;--> statement-breakpoint
ALTER TABLE `payments` DROP COLUMN `paid_iso`;
