import { ADMIN, expect, logIn, navigate, test, USER } from "./fixtures.js";

test("an admin adds a user, then deletes one after confirming", async ({ page }) => {
  const username = `added${Date.now().toString(36)}`;
  await logIn(page, ADMIN);
  await navigate(page, "Users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  const own = page
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: "admin", exact: true }) });
  await expect(own).toContainText("(you)");
  await expect(own.getByRole("button")).toHaveCount(0);

  await page.getByRole("link", { name: "Add user" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add user" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("a-good-password");
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Role").selectOption("user");
  await page.getByRole("button", { name: "Create" }).click();

  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole("status")).toHaveText(`User ${username} created.`);
  const row = page
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: username }) });
  await expect(row).toContainText(`${username}@example.com`);
  // Said once: a reload of the list does not announce the creation again.
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByText(`User ${username} created.`)).toHaveCount(0);

  // Cancel first: nothing happens.
  await row.getByRole("button", { name: `Delete ${username}` }).click();
  const dialog = page.getByRole("dialog", { name: "Delete user" });
  await expect(dialog).toContainText(`Delete the user ${username}? This cannot be undone.`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toBeVisible();

  await row.getByRole("button", { name: `Delete ${username}` }).click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText(`User ${username} deleted.`);
  await expect(row).toHaveCount(0);
});

test("a taken username is refused with a clear message", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 409/);
  await logIn(page, ADMIN);
  await page.goto("/users/new");
  await page.getByLabel("Username").fill(USER.username);
  await page.getByLabel("Password").fill("a-good-password");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("alert")).toHaveText("This username is already taken.");
});

test("a non-admin sees no Users link and is kept out of the admin pages", async ({ page }) => {
  await logIn(page, USER);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Home" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  for (const path of ["/users", "/users/new"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: "Access denied" })).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Create" })).toHaveCount(0);
  }
});
