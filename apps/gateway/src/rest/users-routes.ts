import { AppError } from "@shop/kit";
import { Hono } from "hono";
import { forward, type ServiceClients } from "./clients.js";
import { jsonBody, pathId, type RestEnv } from "./context.js";
import { call } from "./errors.js";
import { intQuery, stringField } from "./fields.js";
import { restUser } from "./shapes.js";

const ROLES = new Set(["admin", "user"]);

function roleField(body: Record<string, unknown>): "admin" | "user" | undefined {
  const role = stringField(body, "role", "optional");
  if (role !== undefined && !ROLES.has(role)) {
    throw new AppError("BAD_REQUEST", "role must be admin or user");
  }
  return role as "admin" | "user" | undefined;
}

/** `/gateway/users/*` (token needed); who may do what is the users service's to decide. */
export function usersRoutes(clients: ServiceClients) {
  const users = clients.users;
  return new Hono<RestEnv>()
    .get("/by-username/:username", async (c) => {
      const username = c.req.param("username");
      const user = await call(users.byUsername.query({ username }, forward(c.get("forward"))));
      return c.json(restUser(user));
    })
    .get("/", async (c) => {
      const input = {
        search: c.req.query("search") || undefined,
        limit: intQuery(c.req.query("limit"), "limit", { min: 1, max: 100 }) ?? 100,
        offset: intQuery(c.req.query("offset"), "offset", { min: 0, max: 1_000_000 }),
      };
      const page = await call(users.list.query(input, forward(c.get("forward"))));
      return c.json({ users: page.users.map(restUser), total: page.total });
    })
    .post("/", async (c) => {
      const body = await jsonBody(c);
      const input = {
        username: stringField(body, "username"),
        password: stringField(body, "password"),
        email: stringField(body, "email", "optional"),
        role: roleField(body),
      };
      const user = await call(users.create.mutate(input, forward(c.get("forward"))));
      return c.json({ message: "User created", user: restUser(user) }, 201);
    })
    .get("/:id", async (c) => {
      const user = await call(users.byId.query({ id: pathId(c) }, forward(c.get("forward"))));
      return c.json(restUser(user));
    })
    .put("/:id", async (c) => {
      const id = pathId(c);
      const body = await jsonBody(c);
      const input = {
        id,
        email: body.email === null ? null : stringField(body, "email", "optional"),
        role: roleField(body),
        password: stringField(body, "password", "optional"),
      };
      const user = await call(users.update.mutate(input, forward(c.get("forward"))));
      return c.json({ message: "User updated", user: restUser(user) });
    })
    .delete("/:id", async (c) => {
      const result = await call(users.delete.mutate({ id: pathId(c) }, forward(c.get("forward"))));
      return c.json({ message: result.message });
    });
}
