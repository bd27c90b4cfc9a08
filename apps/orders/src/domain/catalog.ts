import { asc, eq, inArray } from "drizzle-orm";
import { type OrdersDb, type ProductRow, products } from "../db/index.js";

/**
 * The seeded catalog. The seed sold one product; we keep one of that kind and
 * add a few more. Prices in integer cents, EUR.
 */
export const SEED_PRODUCTS = [
  {
    sku: "HDP-ANC-01",
    name: "Noise-Cancelling Headphones",
    description: "Over-ear wireless headphones with active noise cancelling and 30 h battery.",
    priceCents: 19_999,
  },
  {
    sku: "KBD-MEC-87",
    name: "Mechanical Keyboard",
    description: "Tenkeyless keyboard with hot-swappable tactile switches and a USB-C cable.",
    priceCents: 8_950,
  },
  {
    sku: "HUB-USBC-7",
    name: "USB-C Hub 7-in-1",
    description: "HDMI 4K, two USB-A, SD and microSD readers, 100 W pass-through charging.",
    priceCents: 3_999,
  },
  {
    sku: "MON-27-4K",
    name: "27-inch 4K Monitor",
    description: "IPS panel, 3840x2160, 60 Hz, height-adjustable stand.",
    priceCents: 32_900,
  },
] as const;

/** Inserts any missing seed product; running it again changes nothing. */
export async function seedCatalog(db: OrdersDb, now = Date.now()): Promise<number> {
  const inserted = await db
    .insert(products)
    .values(SEED_PRODUCTS.map((p) => ({ ...p, createdAt: now })))
    .onConflictDoNothing({ target: products.sku })
    .returning({ id: products.id });
  return inserted.length;
}

/** A product on the wire. */
export function productView(row: Pick<ProductRow, "id" | "name" | "description" | "priceCents">) {
  return { id: row.id, name: row.name, description: row.description, priceCents: row.priceCents };
}
export type Product = ReturnType<typeof productView>;

const productColumns = {
  id: products.id,
  name: products.name,
  description: products.description,
  priceCents: products.priceCents,
};

/** Every product on sale, in catalog order. */
export async function listProducts(db: OrdersDb): Promise<Product[]> {
  const rows = await db
    .select(productColumns)
    .from(products)
    .where(eq(products.active, true))
    .orderBy(asc(products.id))
    .limit(500);
  return rows.map(productView);
}

/** The products on sale among `ids`, keyed by id. */
export async function productsById(db: OrdersDb, ids: number[]): Promise<Map<number, Product>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ ...productColumns, active: products.active })
    .from(products)
    .where(inArray(products.id, ids));
  return new Map(rows.filter((row) => row.active).map((row) => [row.id, productView(row)]));
}
