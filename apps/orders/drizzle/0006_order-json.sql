ALTER TABLE `orders` ADD `order_json` text;--> statement-breakpoint
-- Each order as the API shows it (order-view.ts's Order), built by SQLite in
-- one place: the triggers below store it in orders.order_json on every write
-- to an order or to its payments, and a read falls back to it for a row
-- without one. Times match JavaScript's toISOString to the millisecond.
CREATE VIEW `order_json_view` AS SELECT `o`.`id` AS `id`, json_object(
    'id', `o`.`id`,
    'userId', `o`.`user_id`,
    'status', `o`.`status`,
    'totalCents', `o`.`total_cents`,
    'currency', `o`.`currency`,
    'items', json(`o`.`items_json`),
    'payment', json((SELECT json_object(
        'transactionId', `p`.`transaction_id`,
        'bank', `p`.`bank`,
        'amountCents', `p`.`amount_cents`,
        'paidAt', strftime('%Y-%m-%dT%H:%M:%fZ', `p`.`paid_at` / 1000.0, 'unixepoch'),
        'refund', (CASE WHEN `p`.`refunded_at` IS NULL THEN NULL
          WHEN `p`.`refund_confirmed_at` IS NULL THEN 'owed' ELSE 'paid' END))
      FROM `payments` AS `p`
      WHERE `p`.`order_id` = `o`.`id` AND `p`.`status` = 'succeeded')),
    'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', `o`.`created_at` / 1000.0, 'unixepoch'),
    'updatedAt', strftime('%Y-%m-%dT%H:%M:%fZ', `o`.`updated_at` / 1000.0, 'unixepoch')
  ) AS `json`
FROM `orders` AS `o`;--> statement-breakpoint
UPDATE `orders` SET `order_json` = (SELECT `json` FROM `order_json_view` AS `v` WHERE `v`.`id` = `orders`.`id`);--> statement-breakpoint
-- Every column the JSON shows: an update of order_json alone fires nothing.
CREATE TRIGGER `orders_json_on_insert` AFTER INSERT ON `orders` BEGIN
  UPDATE `orders` SET `order_json` = (SELECT `json` FROM `order_json_view` AS `v` WHERE `v`.`id` = `orders`.`id`)
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `orders_json_on_update` AFTER UPDATE OF `id`, `user_id`, `status`, `total_cents`, `currency`, `items_json`, `created_at`, `updated_at` ON `orders` BEGIN
  UPDATE `orders` SET `order_json` = (SELECT `json` FROM `order_json_view` AS `v` WHERE `v`.`id` = `orders`.`id`)
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `payments_order_json_on_insert` AFTER INSERT ON `payments` BEGIN
  UPDATE `orders` SET `order_json` = (SELECT `json` FROM `order_json_view` AS `v` WHERE `v`.`id` = `orders`.`id`)
  WHERE `id` = NEW.`order_id`;
END;--> statement-breakpoint
CREATE TRIGGER `payments_order_json_on_update` AFTER UPDATE OF `order_id`, `status`, `transaction_id`, `bank`, `amount_cents`, `paid_at`, `refunded_at`, `refund_confirmed_at` ON `payments` BEGIN
  UPDATE `orders` SET `order_json` = (SELECT `json` FROM `order_json_view` AS `v` WHERE `v`.`id` = `orders`.`id`)
  WHERE `id` IN (NEW.`order_id`, OLD.`order_id`);
END;--> statement-breakpoint
CREATE TRIGGER `payments_order_json_on_delete` AFTER DELETE ON `payments` BEGIN
  UPDATE `orders` SET `order_json` = (SELECT `json` FROM `order_json_view` AS `v` WHERE `v`.`id` = `orders`.`id`)
  WHERE `id` = OLD.`order_id`;
END;
