CREATE TABLE `charges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bank` text NOT NULL,
	`payment_id` text NOT NULL,
	`transaction_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `charges_bank_payment_id_unique` ON `charges` (`bank`,`payment_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `charges_transaction_id_unique` ON `charges` (`transaction_id`);--> statement-breakpoint
CREATE INDEX `charges_bank_status_idx` ON `charges` (`bank`,`status`);