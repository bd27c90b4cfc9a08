import {
  ADMIN,
  callProcedure,
  createAccount,
  expect,
  logIn,
  navigate,
  test,
  tokenFor,
} from "./fixtures.js";

test("history lists actions and orders newest first, a page at a time", async ({ page }) => {
  const account = await createAccount("hist");
  const token = await tokenFor(account);
  const { products } = await callProcedure<{ products: Array<{ id: number; name: string }> }>(
    "orders.products",
    undefined,
    { token, kind: "query" },
  );
  const product = products[0]!;
  for (let quantity = 1; quantity <= 11; quantity++) {
    await callProcedure(
      "orders.create",
      { items: [{ productId: product.id, quantity }] },
      { token },
    );
  }

  await logIn(page, account);
  await navigate(page, "History");
  await expect(page.getByRole("heading", { level: 1, name: "History" })).toBeVisible();

  const orders = page.getByRole("table", { name: "Orders" });
  const orderRows = orders.getByRole("row");
  await expect(orderRows).toHaveCount(11); // header + 10
  await expect(orderRows.nth(1)).toContainText(`11 × ${product.name}`);
  await expect(orderRows.nth(1)).toContainText("pending");
  const ordersPager = page.getByRole("navigation", { name: "Orders pages" });
  await expect(ordersPager).toContainText("Page 1 of 2");
  await expect(ordersPager.getByRole("button", { name: "Previous" })).toBeDisabled();
  await ordersPager.getByRole("button", { name: "Next" }).click();
  await expect(ordersPager).toContainText("Page 2 of 2");
  await expect(orderRows).toHaveCount(2);
  await expect(orderRows.nth(1)).toContainText(`1 × ${product.name}`);
  await expect(ordersPager.getByRole("button", { name: "Next" })).toBeDisabled();
  await ordersPager.getByRole("button", { name: "Previous" }).click();
  await expect(ordersPager).toContainText("Page 1 of 2");

  const actions = page.getByRole("table", { name: "Actions" });
  await expect(actions.getByRole("row")).toHaveCount(11);
  await expect(actions.getByRole("row").nth(1)).toContainText("Order created");
  await expect(page.getByRole("navigation", { name: "Actions pages" })).toContainText(
    "Page 1 of 2",
  );
});

test("a payment shows up first in the history", async ({ page }) => {
  const account = await createAccount("payer");
  await logIn(page, account);
  await page.getByRole("article").first().getByRole("button", { name: "Pay" }).click();
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  await page.getByRole("link", { name: "See my history" }).click();
  const actions = page.getByRole("table", { name: "Actions" });
  await expect(actions.getByRole("row").nth(1)).toContainText("Order paid");
  await expect(actions.getByRole("row").nth(2)).toContainText("Order created");
  const orders = page.getByRole("table", { name: "Orders" });
  await expect(orders.getByRole("row").nth(1)).toContainText("paid");
  await expect(orders.getByRole("row").nth(1)).toContainText("Primary bank");
});

test("a paid order the admin cancels shows its refund, paid back by the bank", async ({ page }) => {
  const account = await createAccount("refund");
  const token = await tokenFor(account);
  const order = await callProcedure<{ id: number }>(
    "orders.create",
    { items: [{ productId: 1, quantity: 1 }] },
    { token },
  );
  await callProcedure(
    "orders.pay",
    { orderId: order.id, idempotencyKey: `e2e-refund-${order.id}` },
    { token },
  );
  await callProcedure(
    "orders.updateStatus",
    { id: order.id, status: "cancelled" },
    { token: await tokenFor(ADMIN) },
  );

  await logIn(page, account);
  await navigate(page, "History");
  const row = page.getByRole("table", { name: "Orders" }).getByRole("row").nth(1);
  await expect(row).toContainText(`#${order.id}`);
  await expect(row).toContainText("cancelled");
  // The sweep pays it back right after the cancel; a reload shows what the bank confirmed.
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId("refund")).toHaveText("· refunded", { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  const actions = page.getByRole("table", { name: "Actions" });
  await expect(actions.getByRole("row").nth(1)).toContainText("Refund paid back");

  // Its receipt, opened again (Back, a bookmark), says so too: not just "Payment confirmed".
  await page.goto(`/checkout/${order.id}`);
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText(
    "This order was cancelled and your payment was refunded.",
  );
});
