import { test as base, expect, type Page } from "@playwright/test";
import { E2E_URLS } from "./stack-urls.js";

/** The seeded accounts (DESIGN.md). */
export const ADMIN = { username: "admin", password: "admin123" } as const;
export const USER = { username: "user1", password: "password1" } as const;

interface Fixtures {
  /**
   * Fails the test on any console error or uncaught page error, except the
   * network errors a test declares it causes (a 401 for a wrong password is
   * logged by the browser itself, not by the app).
   */
  allowConsoleErrors: (pattern: RegExp) => void;
}

export const test = base.extend<Fixtures>({
  allowConsoleErrors: [
    async ({ context }, use) => {
      const allowed: RegExp[] = [];
      const errors: string[] = [];
      const watch = (page: Page) => {
        page.on("console", (message) => {
          if (message.type() === "error") errors.push(message.text());
        });
        page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
      };
      context.pages().forEach(watch);
      context.on("page", watch);
      await use((pattern) => allowed.push(pattern));
      const unexpected = errors.filter((text) => !allowed.some((pattern) => pattern.test(text)));
      expect(unexpected, "console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Logs in through the form (on the login page already open, with `goto: false`) and waits for the home page. */
export async function logIn(
  page: Page,
  account: { username: string; password: string },
  { goto = true }: { goto?: boolean } = {},
) {
  if (goto) await page.goto("/login");
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${account.username}` }),
  ).toBeVisible();
}

/** Sets the bank stand-in's faults (apps/bank POST /control). */
export async function bankControl(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${E2E_URLS.bank}/control`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`bank control: ${response.status} ${await response.text()}`);
}

export async function resetBank(): Promise<void> {
  const response = await fetch(`${E2E_URLS.bank}/control/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`bank reset: ${response.status}`);
}

/** What one bank has charged so far. */
export async function bankCharges(
  bank: "primary" | "backup",
): Promise<Array<{ amount_cents: number }>> {
  const response = await fetch(`${E2E_URLS.bank}/${bank}/charges`);
  return ((await response.json()) as { charges: Array<{ amount_cents: number }> }).charges;
}

/** Calls a procedure as a non-browser client (no Origin: tokens come back in the body). */
export async function callProcedure<T>(
  path: string,
  input: unknown,
  options: { token?: string; kind?: "query" | "mutation" } = {},
): Promise<T> {
  const [service, procedure] = [
    path.slice(0, path.indexOf(".")),
    path.slice(path.indexOf(".") + 1),
  ];
  const url = new URL(`${E2E_URLS.gateway}/trpc/${service}/${procedure}`);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  if (options.kind === "query") {
    if (input !== undefined) url.searchParams.set("input", JSON.stringify(input));
    response = await fetch(url, { headers });
  } else {
    response = await fetch(url, { method: "POST", headers, body: JSON.stringify(input ?? {}) });
  }
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${path}: ${response.status} ${body.error?.message}`);
  return body.result.data;
}

/** An access token for a non-browser client. */
export async function tokenFor(account: { username: string; password: string }): Promise<string> {
  const result = await callProcedure<{ accessToken: string }>("auth.login", account);
  return result.accessToken;
}

/** A fresh account made through the API by the admin, so a test owns its data. */
export async function createAccount(
  prefix: string,
  role: "user" | "admin" = "user",
): Promise<{ username: string; password: string; id: number }> {
  const admin = await tokenFor(ADMIN);
  const username = `${prefix}${Date.now().toString(36)}`;
  const password = `pw-${username}-secret`;
  const user = await callProcedure<{ id: number }>(
    "users.create",
    { username, password, role },
    { token: admin },
  );
  return { username, password, id: user.id };
}

/** Follows a link of the main navigation. */
export async function navigate(page: Page, name: "Home" | "History" | "Users" | "Profile") {
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name, exact: true })
    .click();
}
