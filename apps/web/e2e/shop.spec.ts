import type { Page } from "@playwright/test";
import {
  ADMIN,
  bankCharges,
  bankControl,
  expect,
  logIn,
  resetBank,
  test,
  USER,
} from "./fixtures.js";
import { E2E_BREAKER_RESET_S } from "./stack-urls.js";

function euros(text: string): number {
  return Number(text.replace(/[^\d.]/g, ""));
}

/** The first product: its card, name and unit price. */
async function firstProduct(page: Page) {
  const card = page.getByRole("article").first();
  const name = ((await card.getByRole("heading").textContent()) ?? "").trim();
  const price = euros((await card.locator(".price").textContent()) ?? "");
  return { card, name, price };
}

function breaker(page: Page) {
  return page.getByTestId("breaker");
}

const DECLINED = "The bank declined the payment.";

/** Sets `fault` on both banks, logs in, presses Pay on the first product and waits for `alert`. */
async function payWhileBothBanks(
  page: Page,
  account: { username: string; password: string },
  fault: Record<string, unknown>,
  alert: string,
) {
  await bankControl({ bank: "primary", ...fault });
  await bankControl({ bank: "backup", ...fault });
  await logIn(page, account);
  await (await firstProduct(page)).card.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByRole("alert")).toHaveText(alert);
}

/**
 * Slows the primary bank past what orders waits for (BANK_TIMEOUT_MS 1500),
 * logs in and presses Pay: the first answer may be "in progress" (409) or
 * "outcome unknown" (503) before the bank's own answer settles it.
 */
async function payWithSlowPrimary(page: Page) {
  await bankControl({ bank: "primary", latency_ms: 2500 });
  await logIn(page, USER);
  const { card, price } = await firstProduct(page);
  const before = (await bankCharges("primary")).length;
  await card.getByRole("button", { name: "Pay" }).click();
  return { price, before };
}

test.afterEach(async () => {
  await resetBank();
});

test("the home page shows the catalog, the breaker and the services' health", async ({ page }) => {
  await logIn(page, USER);
  const catalog = page.getByRole("region", { name: "Catalog" });
  await expect(catalog.getByRole("article").first()).toBeVisible();
  const { card } = await firstProduct(page);
  await expect(card.getByLabel("Quantity")).toHaveValue("1");
  await expect(card.getByRole("button", { name: "Pay" })).toBeEnabled();
  await expect(card.locator(".price")).toHaveText(/€\d+\.\d{2}/);

  await expect(breaker(page).locator("[data-state]")).toHaveText("closed");
  await expect(breaker(page)).toContainText("Failures");
  await expect(breaker(page)).toContainText("Calls");
  const health = page.getByRole("region", { name: "Services' health" });
  for (const service of ["Gateway", "Authentication", "Users", "Orders"]) {
    await expect(health.getByRole("listitem").filter({ hasText: service })).toContainText(
      "healthy",
    );
  }
});

test("paying goes through the bank step to a confirmation", async ({ page }) => {
  await bankControl({ bank: "primary", latency_ms: 1200 });
  await logIn(page, USER);
  const { card, price } = await firstProduct(page);
  await card.getByLabel("Quantity").fill("2");
  await expect(card).toContainText(`Total: €${(price * 2).toFixed(2)}`);
  await card.getByRole("button", { name: "Pay" }).click();

  await expect(page.getByRole("status")).toContainText("Connecting to the bank…");
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  await expect(page.getByTestId("transaction-id")).toHaveText(/\S{6,}/);
  await expect(page.getByTestId("bank")).toHaveText("Primary bank");
  const confirmation = page.getByTestId("confirmation");
  await expect(confirmation).toContainText(`€${(price * 2).toFixed(2)}`);
  await expect(confirmation.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  await expect(page.getByText("backup bank", { exact: false })).toHaveCount(0);
});

test("a reload in the middle of a payment pays once, with the same idempotency key", async ({
  page,
  allowConsoleErrors,
}) => {
  // The reloaded page asks again while the first request still holds the payment: 409, then the result.
  allowConsoleErrors(/status of (409|503)/);
  const { price, before } = await payWithSlowPrimary(page);
  await expect(page.getByRole("status")).toContainText("Connecting to the bank…");
  const key = await page.evaluate(() =>
    Object.keys(sessionStorage).find((name) => name.startsWith("shop.checkout.")),
  );
  expect(key).toBeTruthy();

  await page.reload();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.getByTestId("confirmation")).toContainText(`€${price.toFixed(2)}`);
  const charges = await bankCharges("primary");
  expect(charges.length - before).toBe(1);
  // Settled: the key is forgotten, the next checkout gets a new one.
  expect(await page.evaluate((name) => sessionStorage.getItem(name!), key)).toBeNull();
});

test("the breaker opens under bank faults, the backup bank pays, and it closes again", async ({
  page,
}) => {
  await logIn(page, USER);
  await bankControl({ bank: "primary", down: true });

  for (let payment = 0; payment < 3; payment++) {
    await page.goto("/");
    const { card } = await firstProduct(page);
    await card.getByRole("button", { name: "Pay" }).click();
    await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
    await expect(page.getByTestId("bank")).toHaveText("Backup bank");
    await expect(page.getByTestId("confirmation").locator("..")).toContainText(
      "The primary bank was unavailable, so your payment was processed by the backup bank.",
    );
  }

  await page.getByRole("link", { name: "Back to the shop" }).click();
  await expect(breaker(page).locator("[data-state]")).toHaveText("open");
  await expect(breaker(page)).toContainText("Retry in");
  await expect(breaker(page).getByText(/^\d+$/).first()).toBeVisible();

  // While open, payments skip the primary bank altogether.
  const { card } = await firstProduct(page);
  await card.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("bank")).toHaveText("Backup bank");

  await resetBank();
  await page.waitForTimeout(E2E_BREAKER_RESET_S * 1000 + 200);
  await page.goto("/");
  await expect(breaker(page).locator("[data-state]")).toHaveText(/half-open|closed/);
  await (await firstProduct(page)).card.getByRole("button", { name: "Pay" }).click();
  await expect(page.getByTestId("bank")).toHaveText("Primary bank");
  await page.goto("/");
  await expect(breaker(page).locator("[data-state]")).toHaveText("closed");
});

test("a declined payment says so and can be cancelled", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 402/);
  await payWhileBothBanks(page, ADMIN, { decline_over_cents: 1 }, DECLINED);
  // A declined checkout is over: trying again is a new payment, and its button waits for it.
  await bankControl({ bank: "primary", latency_ms: 1000 });
  const retry = page.getByRole("button", { name: "Try again" });
  await retry.click();
  await expect(retry).toBeDisabled();
  await expect(page.getByRole("status")).toContainText("Connecting to the bank…");
  await expect(page.getByRole("alert")).toHaveText(DECLINED);
  await expect(retry).toBeEnabled();
  await page.getByRole("button", { name: "Cancel order" }).click();
  await expect(page.getByRole("status")).toHaveText("This order was cancelled.");
});

test("with both banks down the page says so, and trying again pays once", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 503/);
  const charged = async () =>
    (await bankCharges("primary")).length + (await bankCharges("backup")).length;
  const before = await charged();
  await payWhileBothBanks(
    page,
    USER,
    { down: true },
    "Both banks are unavailable right now. Please try again in a moment.",
  );
  await resetBank();
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  expect((await charged()) - before).toBe(1);
});

test("coming back to a checkout whose payment failed does not pay by itself", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 402/);
  await payWhileBothBanks(page, USER, { decline_over_cents: 1 }, DECLINED);
  await resetBank();
  const before = (await bankCharges("primary")).length;

  // A reload (or Back, Forward) is no new decision to pay: the person presses Pay.
  await page.reload();
  const pay = page.getByRole("button", { name: "Pay" });
  await expect(pay).toBeVisible();
  await page.waitForTimeout(1_500);
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toHaveCount(0);
  expect((await bankCharges("primary")).length).toBe(before);

  await pay.click();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  expect((await bankCharges("primary")).length).toBe(before + 1);
});

test("the quantity can be cleared and retyped, and a quantity out of range cannot be paid", async ({
  page,
}) => {
  await logIn(page, USER);
  const { card, price } = await firstProduct(page);
  const quantity = card.getByLabel("Quantity");
  await quantity.click();
  await quantity.press("End");
  await quantity.press("Backspace");
  await quantity.pressSequentially("5");
  await expect(quantity).toHaveValue("5");
  await expect(card).toContainText(`Total: €${(price * 5).toFixed(2)}`);

  await quantity.fill("250");
  await expect(card.getByRole("button", { name: "Pay" })).toBeDisabled();
  await expect(card).toContainText("Enter a whole number from 1 to 100.");
  await quantity.fill("3");
  await expect(card.getByRole("button", { name: "Pay" })).toBeEnabled();
});

test("a payment whose answer was lost is checked again by itself, and pays once", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 503/);
  const { before } = await payWithSlowPrimary(page);
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible({
    timeout: 20_000,
  });
  expect((await bankCharges("primary")).length - before).toBe(1);
});

test("pressing Pay again after the order's answer was lost places one order", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/net::ERR_FAILED|Failed to fetch/);
  await logIn(page, USER);
  const placed: number[] = [];
  await page.route("**/trpc/orders/create**", async (route) => {
    const response = await route.fetch();
    placed.push(Number(/"id":(\d+)/.exec(await response.text())?.[1]));
    // The first answer never arrives, though orders placed the order.
    if (placed.length === 1) await route.abort("failed");
    else await route.fulfill({ response });
  });
  const { card } = await firstProduct(page);
  await card.getByRole("button", { name: "Pay" }).click();
  await expect(card.getByRole("alert")).toBeVisible();
  await card.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(new RegExp(`/checkout/${placed[0]}$`));
  expect(placed).toHaveLength(2);
  expect(placed[1]).toBe(placed[0]);
});
