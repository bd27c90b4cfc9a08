import type { Page } from "@playwright/test";
import { expect, logIn, test, USER } from "./fixtures.js";

/** Replaces what orders answers to one call (`procedure`) of a batch with `answer`. */
async function rewriteOrdersAnswer(page: Page, procedure: string, answer: unknown) {
  await page.route(
    (url) => url.pathname.startsWith("/trpc/orders/") && url.pathname.includes(procedure),
    async (route) => {
      const response = await route.fetch();
      const calls = new URL(route.request().url()).pathname.split("/").pop()!.split(",");
      const results = (await response.json()) as unknown[];
      results[calls.indexOf(procedure)] = answer;
      await route.fulfill({ response, json: results });
    },
  );
}

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
  await rewriteOrdersAnswer(page, "products", { result: { data: { products: 42 } } });
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Something went wrong" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reload" })).toBeVisible();
});

test("a breaker state that cannot be read says so", async ({ page }) => {
  await logIn(page, USER);
  // Orders answers everything but the breaker's state: that call fails as a service down would.
  await rewriteOrdersAnswer(page, "breakerStatus", {
    error: {
      message: "orders is unavailable",
      code: -32603,
      data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503 },
    },
  });
  await page.reload();
  const card = page.getByRole("region", { name: "Payment circuit breaker" });
  await expect(card.getByRole("alert")).toHaveText(
    "The breaker's state cannot be read right now.",
    { timeout: 15_000 },
  );
});

test("when the health check stops answering, the last answer is not shown as current", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/ERR_CONNECTION_REFUSED/);
  await logIn(page, USER);
  const health = page.getByRole("region", { name: "Services' health" });
  await expect(health.getByRole("listitem").first()).toContainText("healthy");
  await page.route("**/health", (route) => route.abort("connectionrefused"));
  // The card asks again every 10 s.
  await expect(health.getByRole("alert")).toHaveText("The gateway could not be reached.", {
    timeout: 15_000,
  });
  await expect(health.getByRole("listitem")).toHaveCount(0);
});
