import { AppError } from "@shop/kit";
import { Hono } from "hono";
import { forward, type ServiceClients } from "./clients.js";
import { jsonBody, pathId, type RestEnv } from "./context.js";
import { call } from "./errors.js";
import { intField, stringField } from "./fields.js";
import { clientIdempotencyKey } from "./idempotency.js";
import { restOrder } from "./shapes.js";

const STATUSES = ["pending", "paid", "processing", "shipped", "delivered", "cancelled"] as const;
type Status = (typeof STATUSES)[number];

/** The writes of `/gateway/orders/*` (token needed); the reads are in reads.ts. */
export function ordersRoutes(clients: ServiceClients) {
  const orders = clients.orders;

  /** The catalog id of `{product_id}` or `{product_name}` (case-insensitive). */
  async function productId(body: Record<string, unknown>, headers: Record<string, string>) {
    const id = intField(body, "product_id", { min: 1, max: 2 ** 31 });
    if (id !== undefined) return id;
    const name = stringField(body, "product_name", "optional");
    if (name === undefined)
      throw new AppError("BAD_REQUEST", "product_id or product_name is required");
    const { products } = await call(orders.products.query(undefined, forward(headers)));
    const wanted = name.trim().toLowerCase();
    const product = products.find((p) => p.name.toLowerCase() === wanted);
    if (!product) throw new AppError("BAD_REQUEST", `Unknown product: ${name.slice(0, 64)}`);
    return product.id;
  }

  return new Hono<RestEnv>()
    .post("/orders", async (c) => {
      const body = await jsonBody(c);
      const quantity = intField(body, "quantity", { min: 1, max: 100 }) ?? 1;
      const productIdValue = await productId(body, c.get("forward"));
      // Optional: a create retried with the same key answers the order it placed.
      const key = clientIdempotencyKey(c.req.header("idempotency-key")) ?? undefined;
      const order = await call(
        orders.create.mutate(
          { items: [{ productId: productIdValue, quantity }], idempotencyKey: key },
          forward(c.get("forward")),
        ),
      );
      return c.json({ message: "Order created", order: restOrder(order) }, 201);
    })
    .put("/orders/:id", async (c) => {
      const id = pathId(c);
      const status = stringField(await jsonBody(c), "status");
      if (!(STATUSES as readonly string[]).includes(status)) {
        throw new AppError("BAD_REQUEST", `Unknown status; one of ${STATUSES.join(", ")}`);
      }
      const order = await call(
        orders.updateStatus.mutate({ id, status: status as Status }, forward(c.get("forward"))),
      );
      return c.json({ message: "Order status updated", order_id: order.id, status: order.status });
    })
    .post("/orders/:id/pay", async (c) => {
      const orderId = pathId(c);
      // Without a key, orders derives one from the order (see its payOrder).
      const key = clientIdempotencyKey(c.req.header("idempotency-key")) ?? undefined;
      const result = await call(
        orders.pay.mutate({ orderId, idempotencyKey: key }, forward(c.get("forward"))),
      );
      return c.json({
        message: "Payment successful",
        transaction_id: result.payment.transactionId,
        bank: result.payment.bank,
        order: restOrder(result.order),
      });
    });
}
