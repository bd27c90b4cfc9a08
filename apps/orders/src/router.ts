import { createOrderProcedure } from "./procedures/create-order.js";
import { getBreakerStatusProcedure } from "./procedures/get-breaker-status.js";
import { getOrderProcedure } from "./procedures/get-order.js";
import { getStatsProcedure } from "./procedures/get-stats.js";
import { listHistoryProcedure } from "./procedures/list-history.js";
import { listOrdersProcedure } from "./procedures/list-orders.js";
import { listProductsProcedure } from "./procedures/list-products.js";
import { payOrderProcedure } from "./procedures/pay-order.js";
import { updateOrderStatusProcedure } from "./procedures/update-order-status.js";
import { router } from "./trpc.js";

/** The orders service's procedures, mounted at `/trpc/orders`. */
export const ordersRouter = router({
  products: listProductsProcedure,
  create: createOrderProcedure,
  list: listOrdersProcedure,
  byId: getOrderProcedure,
  updateStatus: updateOrderStatusProcedure,
  pay: payOrderProcedure,
  history: listHistoryProcedure,
  stats: getStatsProcedure,
  breakerStatus: getBreakerStatusProcedure,
});

export type OrdersRouter = typeof ordersRouter;
