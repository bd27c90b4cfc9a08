import { ADMIN, expect, logIn, test, USER } from "./fixtures.js";

test.describe("login", () => {
  test("a wrong password is refused in an alert, and the form stays usable", async ({
    page,
    allowConsoleErrors,
  }) => {
    allowConsoleErrors(/status of 401/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel("Username").fill(USER.username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert")).toHaveText("Invalid username or password.");
    await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
  });

  test("repeated failures are throttled and the wait is shown", async ({
    page,
    allowConsoleErrors,
  }) => {
    allowConsoleErrors(/status of (401|429)/);
    await page.goto("/login");
    await page.getByLabel("Username").fill("nobody-here");
    await page.getByLabel("Password").fill("wrong-password");
    const alert = page.getByRole("alert");
    for (let attempt = 0; attempt < 10; attempt++) {
      await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled({ timeout: 20_000 });
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(alert).toBeVisible();
      if (/Too many attempts/.test((await alert.textContent()) ?? "")) break;
    }
    await expect(alert).toHaveText(/^Too many attempts\. Try again in \d+\u00a0s\.$/);
  });

  test("success shows the home page; a reload keeps the session; no token is stored", async ({
    page,
    context,
  }) => {
    await logIn(page, USER);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

    await page.reload();
    await expect(page.getByRole("heading", { name: `Welcome, ${USER.username}` })).toBeVisible();

    const stored = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage }),
    );
    expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no JWT
    expect(stored.toLowerCase()).not.toContain("token");
    const cookies = await context.cookies();
    const refresh = cookies.find((cookie) => cookie.name === "shop_refresh");
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/trpc/auth" });
    expect(cookies.filter((cookie) => !cookie.httpOnly)).toEqual([]);
  });

  test("a page asked for before logging in is shown after it", async ({ page }) => {
    await page.goto("/history");
    await expect(page).toHaveURL(/\/login\?next=%2Fhistory/);
    await page.getByLabel("Username").fill(USER.username);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByLabel("Password").press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "History" })).toBeVisible();
  });

  test("a next= that leaves the site (a tab hides a //host) goes home after login", async ({
    page,
  }) => {
    // The URL parser drops the tab: "/\t/evil.example" is "//evil.example" to the browser.
    await page.goto(`/login?next=${encodeURIComponent("/\t/evil.example")}`);
    await logIn(page, USER, { goto: false });
    await expect(page).toHaveURL(/\/$/);
  });

  test("log out ends the session, here and after a reload", async ({ page }) => {
    await logIn(page, ADMIN);
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("status")).toHaveText("You are logged out.");
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  });
});
