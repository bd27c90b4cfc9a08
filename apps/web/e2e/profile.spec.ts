import { createAccount, expect, logIn, navigate, test } from "./fixtures.js";
import { E2E_URLS } from "./stack-urls.js";

test("a user changes their email and their password and stays signed in", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 403/); // the wrong current password
  const account = await createAccount("prof");
  await logIn(page, account);
  await navigate(page, "Profile");
  await expect(page.getByRole("heading", { level: 1, name: "Profile" })).toBeVisible();

  const email = page.getByRole("region", { name: "Email" });
  await email.getByLabel("Email").fill(`${account.username}@example.org`);
  await email.getByRole("button", { name: "Save email" }).click();
  await expect(email.getByRole("status")).toHaveText("Email saved.");

  const password = page.getByRole("region", { name: "Change password" });
  const newPassword = `${account.password}-2`;
  await password.getByLabel("Current password").fill("not-my-password");
  await password.getByLabel("New password", { exact: true }).fill(newPassword);
  await password.getByLabel("Confirm new password").fill(newPassword);
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("alert")).toHaveText("The current password is wrong.");

  await password.getByLabel("Current password").fill(account.password);
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("status")).toHaveText(
    "Password changed. Your other sessions have been logged out.",
  );

  // The tab logged in again with the new password: a reload keeps the session.
  await page.reload();
  await expect(page.getByRole("textbox", { name: "Email" })).toHaveValue(
    `${account.username}@example.org`,
  );
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("status")).toHaveText("You are logged out.");
  // A person signing in again on this tab finds the button working again.
  await logIn(page, { username: account.username, password: newPassword });
  await expect(page.getByRole("button", { name: "Log out" })).toBeEnabled();
});

test("a user sees where they are signed in and ends a session elsewhere", async ({
  page,
  browser,
}) => {
  const account = await createAccount("sess");
  // Another browser: its own cookies, so its own session.
  const elsewhere = await browser.newContext({ baseURL: E2E_URLS.web, locale: "en-US" });
  try {
    const other = await elsewhere.newPage();
    await logIn(other, account);
    await logIn(page, account);
    await navigate(page, "Profile");
    const sessions = page.getByRole("region", { name: "Signed-in sessions" });
    await expect(sessions.getByRole("listitem")).toHaveCount(2);
    await expect(sessions.getByRole("listitem", { name: "This session" })).toHaveCount(1);
    // This tab's own session cannot be ended from the list (logging out does that).
    await expect(
      sessions.getByRole("listitem", { name: "This session" }).getByRole("button"),
    ).toHaveCount(0);

    await sessions
      .getByRole("listitem", { name: "Other session" })
      .getByRole("button", { name: "End session" })
      .click();
    await expect(sessions.getByRole("status")).toHaveText("The session has ended.");
    await expect(sessions.getByRole("listitem")).toHaveCount(1);
    await expect(sessions.getByRole("listitem", { name: "This session" })).toBeVisible();

    // The other browser finds itself signed out at its next refresh.
    await other.reload();
    await expect(other.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
    // This one carries on.
    await page.reload();
    await expect(page.getByRole("region", { name: "Signed-in sessions" })).toBeVisible();
  } finally {
    await elsewhere.close();
  }
});
