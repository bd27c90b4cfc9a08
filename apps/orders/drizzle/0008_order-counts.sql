CREATE TABLE `order_count` (
	`id` integer PRIMARY KEY NOT NULL,
	`orders` integer NOT NULL,
	CONSTRAINT "order_count_one_row" CHECK("order_count"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `user_order_counts` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`orders` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `order_count` (`id`, `orders`) SELECT 1, count(*) FROM `orders`;--> statement-breakpoint
INSERT INTO `user_order_counts` (`user_id`, `orders`)
  SELECT `user_id`, count(*) FROM `orders` GROUP BY `user_id`;--> statement-breakpoint
CREATE TRIGGER `orders_count_on_insert` AFTER INSERT ON `orders` BEGIN
  INSERT INTO `user_order_counts` (`user_id`, `orders`) VALUES (NEW.`user_id`, 1)
    ON CONFLICT (`user_id`) DO UPDATE SET `orders` = `orders` + 1;
  UPDATE `order_count` SET `orders` = `orders` + 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `orders_count_on_delete` AFTER DELETE ON `orders` BEGIN
  UPDATE `user_order_counts` SET `orders` = `orders` - 1 WHERE `user_id` = OLD.`user_id`;
  UPDATE `order_count` SET `orders` = `orders` - 1 WHERE `id` = 1;
END;--> statement-breakpoint
CREATE TRIGGER `orders_count_on_owner_change` AFTER UPDATE OF `user_id` ON `orders`
WHEN NEW.`user_id` IS NOT OLD.`user_id` BEGIN
  UPDATE `user_order_counts` SET `orders` = `orders` - 1 WHERE `user_id` = OLD.`user_id`;
  INSERT INTO `user_order_counts` (`user_id`, `orders`) VALUES (NEW.`user_id`, 1)
    ON CONFLICT (`user_id`) DO UPDATE SET `orders` = `orders` + 1;
END;
