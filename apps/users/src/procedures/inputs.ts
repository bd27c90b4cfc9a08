import { z } from "zod";
import { ROLES } from "../db/schema.js";

/** A user id as inputs accept it. */
export const userIdSchema = z.int().positive();

/** A new username: 3..32 of letters, digits, `_`, `.`, `-` (ASCII, so case folding is exact). */
export const newUsernameSchema = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, "Use letters, digits, '_', '.' or '-'");

/** A username to look up: bounded, not validated further (no match is simply NOT_FOUND). */
export const usernameLookupSchema = z.string().min(1).max(64);

export const emailSchema = z.email().max(254);

export const roleSchema = z.enum(ROLES);
