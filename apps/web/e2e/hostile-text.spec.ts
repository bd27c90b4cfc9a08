import { createAccount, expect, logIn, navigate, test } from "./fixtures.js";
import { E2E_URLS } from "./stack-urls.js";

// Text anyone chooses and the system stores, then shows in the SPA: the
// User-Agent of each session (free text, up to 256 characters) and the
// client address beside it (from X-Forwarded-For, believed from a proxy).
// Each payload would set window.__xss, open a dialog or add an element if
// it were ever rendered as markup; it must come back as the exact text.
// (Header values are Latin-1: unicode tricks are the API suites' part.)
const PAYLOADS = [
  `<img src=x onerror="window.__xss='img';alert(1)">`,
  `<script>window.__xss='script'</script>`,
  `"><svg onload="window.__xss='svg'"></svg><a href="javascript:window.__xss='href'">x</a>`,
  `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `{{constructor.constructor('window.__xss=1')()}} \${window.__xss=2} <style>*{display:none}</style>`,
];

/** Signs in as a non-browser client would, with a chosen User-Agent and forwarded address. */
async function signInWith(
  account: { username: string; password: string },
  headers: { userAgent: string; forwardedFor: string },
): Promise<void> {
  const response = await fetch(`${E2E_URLS.gateway}/trpc/auth/login`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": headers.userAgent,
      "x-forwarded-for": headers.forwardedFor,
    },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  expect(response.status).toBe(200);
}

test("stored hostile text is shown as text in the SPA, never run", async ({ page }) => {
  const account = await createAccount("hostile");
  for (const payload of PAYLOADS) {
    await signInWith(account, { userAgent: payload, forwardedFor: payload.slice(0, 60) });
  }
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await logIn(page, account);
  await navigate(page, "Profile");
  const sessions = page.getByRole("region", { name: "Signed-in sessions" });
  await expect(sessions.getByRole("listitem")).toHaveCount(PAYLOADS.length + 1);
  const others = sessions.getByRole("listitem", { name: "Other session" });
  // Each one verbatim, character for character, as its element's text.
  const shown = await others.locator(".device").allTextContents();
  expect(shown.toSorted()).toEqual(PAYLOADS.toSorted());
  // Nothing became markup: no element the payloads would have made, no script run.
  await expect(sessions.locator("img, script, svg, iframe, a, style")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  // The forged addresses were not believed: each session shows the proxy's IP.
  const facts = await others.locator(".help").allTextContents();
  expect(facts).toHaveLength(PAYLOADS.length);
  for (const text of facts) {
    expect(text).toContain("127.0.0.1");
    expect(text).not.toMatch(/[<>{}]/);
  }
});
