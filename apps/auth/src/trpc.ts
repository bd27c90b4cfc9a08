import { createServiceTRPC } from "@shop/kit";
import type { AuthDeps } from "./domain/deps.js";

export const { router, publicProcedure, protectedProcedure, adminProcedure } =
  createServiceTRPC<AuthDeps>();
