ALTER TABLE `orders` ADD `idempotency_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_user_key_unique` ON `orders` (`user_id`,`idempotency_key`) WHERE idempotency_key is not null;