import { z } from "zod";
import { ORDER_STATUSES } from "../db/index.js";

/** A row id: a positive safe integer. */
export const idSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** An opaque page cursor. */
export const cursorSchema = z.string().min(1).max(64);

export const limitSchema = z.number().int().min(1).max(100).default(20);

export const orderStatusSchema = z.enum(ORDER_STATUSES);

/** Chosen by the client per intent; a retry with the same key never does it twice. */
export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces")
  .refine((key) => !key.startsWith("~"), "keys starting with ~ are the service's own");
