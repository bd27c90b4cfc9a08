-- Orders placed before 0002 get their line items as the API shows them, in
-- the order they were written (the JSON the service writes for new orders).
UPDATE `orders` SET `items_json` = (
  SELECT json_group_array(json_object(
      'productId', `i`.`product_id`,
      'productName', `i`.`product_name`,
      'quantity', `i`.`quantity`,
      'unitPriceCents', `i`.`unit_price_cents`,
      'lineTotalCents', `i`.`line_total_cents`) ORDER BY `i`.`id`)
  FROM `order_items` AS `i` WHERE `i`.`order_id` = `orders`.`id`
) WHERE `items_json` = '[]';
