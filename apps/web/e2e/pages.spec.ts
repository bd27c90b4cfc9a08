import { expect, logIn, test, USER } from "./fixtures.js";

test("an unknown address shows the not-found page", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 404/); // the order that does not exist
  await logIn(page, USER);
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${USER.username}` })).toBeVisible();
  await page.goto("/checkout/999999");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
});

test("a page that fails to render shows the error page", async ({ page, allowConsoleErrors }) => {
  // React reports the render error it caught; that is the point of this test.
  allowConsoleErrors(/./);
  await logIn(page, USER);
  // A broken answer from the server (a product list that is not a list) breaks the home page.
  await page.route(
    (url) => url.pathname.startsWith("/trpc/orders/") && url.pathname.includes("products"),
    async (route) => {
      const response = await route.fetch();
      const calls = new URL(route.request().url()).pathname.split("/").pop()!.split(",");
      const results = (await response.json()) as Array<{ result: { data: unknown } }>;
      results[calls.indexOf("products")]!.result.data = { products: 42 };
      await route.fulfill({ response, json: results });
    },
  );
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Something went wrong" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reload" })).toBeVisible();
});
