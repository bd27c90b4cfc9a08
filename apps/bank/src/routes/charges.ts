import type { ServiceEnv } from "@shop/kit";
import { Hono } from "hono";
import { type ChargeBook, chargeRequestSchema } from "../domain/charges.js";
import { bankParam, jsonBody } from "./parse.js";

/** `/:bank/charges`: charge, look up by payment id, refund, list what was charged. */
export function chargeRoutes(book: ChargeBook) {
  const routes = new Hono<ServiceEnv>();

  routes.post("/:bank/charges", async (c) => {
    const bank = bankParam(c);
    const request = await jsonBody(c, chargeRequestSchema);
    const { charge, replay } = await book.charge(bank, request);
    return c.json(charge, replay ? 200 : 201);
  });

  routes.get("/:bank/charges/:paymentId", async (c) => {
    const bank = bankParam(c);
    const paymentId = c.req.param("paymentId");
    return c.json(await book.status(bank, paymentId.slice(0, 256)));
  });

  routes.post("/:bank/charges/:paymentId/refund", async (c) => {
    const bank = bankParam(c);
    return c.json(await book.refund(bank, c.req.param("paymentId").slice(0, 256)));
  });

  routes.get("/:bank/charges", async (c) => {
    return c.json({ charges: await book.charged(bankParam(c)) });
  });

  return routes;
}
