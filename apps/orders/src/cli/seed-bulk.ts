// Seeds synthetic orders for the benchmark's large-table scenario:
//   node dist/cli/seed-bulk.js 1000000        (DATA_DIR as for the service)
// They belong to synthetic users (ids from 1,000,000 up, 100 orders each), so
// the table is large while every real user's own list keeps its normal size.
// Run it while the orders service is stopped: it writes in large transactions.
import { createLogger, databaseUrl, openDatabase } from "@shop/kit";
import * as schema from "../db/schema.js";
import { seedCatalog } from "../domain/catalog.js";
import { loadConfig } from "../env.js";
import { MIGRATIONS_FOLDER } from "../paths.js";

const FIRST_SYNTHETIC_USER = 1_000_000;
const ORDERS_PER_USER = 100;
const CHUNK = 100_000;

const total = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(total) || total < 1 || total > 50_000_000) {
  process.stderr.write("usage: seed-bulk <count 1..50000000>\n");
  process.exit(64);
}

const config = loadConfig();
const log = createLogger({ service: "orders", level: "warn", format: config.logFormat });
const { db, client, close } = await openDatabase({
  url: databaseUrl("orders", config.dataDir, config.databaseUrl),
  authToken: config.databaseAuthToken,
  schema,
  migrationsFolder: MIGRATIONS_FOLDER,
  log,
});
await seedCatalog(db);
const row = (await client.execute("SELECT id, name, price_cents FROM products ORDER BY id LIMIT 1"))
  .rows[0]!;
const product = { id: Number(row.id), name: String(row.name), priceCents: Number(row.price_cents) };
// The line items as the service writes them (see orders.itemsJson).
const itemsJson = JSON.stringify([
  {
    productId: product.id,
    productName: product.name,
    quantity: 1,
    unitPriceCents: product.priceCents,
    lineTotalCents: product.priceCents,
  },
]);
const started = performance.now();
const now = Date.now();
for (let done = 0; done < total; done += CHUNK) {
  const size = Math.min(CHUNK, total - done);
  const before = Number(
    (await client.execute("SELECT coalesce(max(id), 0) AS id FROM orders")).rows[0]!.id,
  );
  await client.batch(
    [
      {
        sql: `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ? - 1)
              INSERT INTO orders (user_id, status, total_cents, currency, items_json, created_at, updated_at)
              SELECT CAST(? AS INTEGER) + (CAST(? AS INTEGER) + n) / CAST(? AS INTEGER), 'delivered',
                     CAST(? AS INTEGER), 'EUR', ?, CAST(? AS INTEGER) - (? - n), CAST(? AS INTEGER) - (? - n) FROM seq`,
        args: [
          size,
          FIRST_SYNTHETIC_USER,
          done,
          ORDERS_PER_USER,
          product.priceCents,
          itemsJson,
          now,
          size,
          now,
          size,
        ],
      },
      {
        sql: `INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price_cents, line_total_cents)
              SELECT id, ?, ?, 1, ?, ? FROM orders WHERE id > ?`,
        args: [product.id, product.name, product.priceCents, product.priceCents, before],
      },
    ],
    "write",
  );
  process.stdout.write(
    `seeded ${(done + size).toLocaleString("en")} / ${total.toLocaleString("en")} orders\n`,
  );
}
await client.execute("PRAGMA optimize");
process.stdout.write(`done in ${Math.round(performance.now() - started)} ms\n`);
close();
