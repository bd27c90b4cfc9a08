import type { Page, Response } from "@playwright/test";
import {
  ADMIN,
  callProcedure,
  createAccount,
  expect,
  navigate,
  test,
  tokenFor,
} from "./fixtures.js";

/** Logs in through the form and returns when the access token it got expires (epoch ms). */
async function logInForExpiry(page: Page, account: { username: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === "/trpc/auth/login");
  await page.getByRole("button", { name: "Log in" }).click();
  const [body] = (await (await answer).json()) as Array<{
    result: { data: { accessExpiresAt: string } };
  }>;
  await expect(page.getByRole("heading", { name: `Welcome, ${account.username}` })).toBeVisible();
  const expiresAt = Date.parse(body!.result.data.accessExpiresAt);
  // These tests wait for a token to expire: the e2e stack runs auth with ACCESS_TOKEN_TTL_S.
  expect(expiresAt - Date.now(), "access token lifetime in e2e (ACCESS_TOKEN_TTL_S)").toBeLessThan(
    60_000,
  );
  return expiresAt;
}

/** Records the API answers a page (or a whole context) gets. */
function recordApi(target: { on(event: "response", listener: (r: Response) => void): unknown }) {
  const seen: Array<{ path: string; status: number }> = [];
  target.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith("/trpc/")) seen.push({ path, status: response.status() });
  });
  return {
    refreshes: () => seen.filter((r) => r.path === "/trpc/auth/refresh"),
    unauthorized: () => seen.filter((r) => r.status === 401),
  };
}

async function waitUntil(epochMs: number) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));
}

test("an access token is renewed before it expires, without the user noticing", async ({
  page,
}) => {
  const account = await createAccount("ttl");
  const api = recordApi(page);
  const expiresAt = await logInForExpiry(page, account);
  await waitUntil(expiresAt + 2_000);

  await navigate(page, "History");
  await expect(page.getByRole("table", { name: "Actions" })).toBeVisible();
  await expect(page).toHaveURL(/\/history$/);
  expect(api.refreshes().length).toBeGreaterThanOrEqual(1);
  expect(api.refreshes().every((r) => r.status === 200)).toBe(true);
  expect(api.unauthorized()).toEqual([]);
});

test("a token that expired while the tab slept is refreshed once on the 401 and the call replayed", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 401/);
  const account = await createAccount("sleep");
  await page.clock.install();
  const api = recordApi(page);
  const expiresAt = await logInForExpiry(page, account);
  // The tab sleeps: none of its timers run, so the early refresh does not happen.
  await page.clock.pauseAt(Date.now() + 1_000);
  // Past expiry and past the verifiers' clock leeway (CLOCK_TOLERANCE_S, 5 s).
  await waitUntil(expiresAt + 7_000);
  await page.clock.resume();

  await navigate(page, "History");
  await expect(page.getByRole("table", { name: "Actions" })).toBeVisible();
  await expect(page).toHaveURL(/\/history$/);
  expect(api.unauthorized().length).toBeGreaterThanOrEqual(1);
  expect(api.refreshes().map((r) => r.status)).toEqual([200]);
});

test("two tabs share one session and refresh it one at a time, never tripping reuse detection", async ({
  context,
}) => {
  const account = await createAccount("tabs");
  const api = recordApi(context);
  const first = await context.newPage();
  const expiresAt = await logInForExpiry(first, account);
  const second = await context.newPage();
  await second.goto("/history");
  await expect(second.getByRole("heading", { level: 1, name: "History" })).toBeVisible();

  // Both tabs now hold the same token and schedule its renewal for the same moment.
  await waitUntil(expiresAt + 6_000);
  for (const page of [first, second]) {
    await navigate(page, "Profile");
    await expect(page.getByRole("textbox", { name: "Email" })).toBeVisible();
  }
  expect(api.unauthorized()).toEqual([]);
  expect(api.refreshes().every((r) => r.status === 200)).toBe(true);

  // The session survived: both tabs reload into it.
  for (const page of [first, second]) {
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Profile" })).toBeVisible();
  }
  const audit = await callProcedure<{ events: unknown[] }>(
    "auth.audit",
    { kind: "refresh_reuse_detected" },
    { token: await tokenFor(ADMIN), kind: "query" },
  );
  expect(audit.events).toEqual([]);
});

test("a session revoked elsewhere ends at the next refresh, and the login page says why", async ({
  page,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/status of 401/);
  const account = await createAccount("revoked");
  await logInForExpiry(page, account);
  // Log out everywhere from another device: the refresh token's family is revoked.
  await callProcedure("auth.logoutEverywhere", {}, { token: await tokenFor(account) });

  await expect(page).toHaveURL(/\/login/, { timeout: 20_000 });
  await expect(page.getByRole("status")).toHaveText(
    "Your session has ended (it expired or was revoked). Please log in again.",
  );
});
