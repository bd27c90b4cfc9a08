import { AppError } from "@shop/kit";
import type { Context } from "hono";
import type { z } from "zod";
import { type BankName, bankNameSchema } from "../domain/faults.js";

/** The `:bank` path segment, or a JSON 404 for any other name. */
export function bankParam(c: Context): BankName {
  const parsed = bankNameSchema.safeParse(c.req.param("bank"));
  if (!parsed.success) {
    throw new AppError("NOT_FOUND", "Unknown bank: use primary or backup", {
      details: { code: "not_found" },
    });
  }
  return parsed.data;
}

/** A JSON body validated by `schema`; anything else is a 400 with a readable message. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError("BAD_REQUEST", "Body must be JSON", {
      details: { code: "invalid_request" },
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".");
    throw new AppError(
      "BAD_REQUEST",
      `Invalid request: ${where ? `${where}: ` : ""}${issue?.message}`,
      {
        details: { code: "invalid_request" },
      },
    );
  }
  return parsed.data;
}
