import type { Page } from "@playwright/test";
import { ADMIN, expect, logIn, test } from "./fixtures.js";

/** Controls without an accessible name: inputs without a label, buttons and links without text. */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const missing: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(
      "input, select, textarea, button, a[href]",
    )) {
      const labelled =
        el.getAttribute("aria-label") ||
        el.getAttribute("aria-labelledby") ||
        ("labels" in el && (el as HTMLInputElement).labels?.length) ||
        ((el.tagName === "BUTTON" || el.tagName === "A") && el.textContent?.trim());
      if (!labelled) missing.push(el.outerHTML.slice(0, 120));
    }
    return missing;
  });
}

test("every control on every page has an accessible name", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  expect(await unlabelledControls(page)).toEqual([]);
  await logIn(page, ADMIN);
  for (const [path, heading] of [
    ["/", "Welcome, admin"],
    ["/history", "History"],
    ["/users", "Users"],
    ["/users/new", "Add user"],
    ["/profile", "Profile"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByText("Loading…")).toHaveCount(0);
    expect(await unlabelledControls(page), path).toEqual([]);
  }
});

test("the keyboard alone logs in and pays, with focus always visible", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");

  const username = page.getByLabel("Username");
  for (
    let i = 0;
    i < 10 && !(await username.evaluate((el) => el === document.activeElement));
    i++
  ) {
    await page.keyboard.press("Tab");
  }
  await expect(username).toBeFocused();
  await page.keyboard.type(ADMIN.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Welcome, admin" })).toBeVisible();

  const pay = page.getByRole("article").first().getByRole("button", { name: "Pay" });
  for (let i = 0; i < 25 && !(await pay.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(pay).toBeFocused();
  expect(await pay.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Payment confirmed" })).toBeVisible();
});

test.describe("on a phone-width screen", () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test("pages fit the width and the navigation stays reachable", async ({ page }) => {
    await logIn(page, ADMIN);
    for (const path of ["/", "/history", "/users", "/profile"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      await expect(
        page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "History" }),
      ).toBeInViewport();
      await expect(page.getByRole("button", { name: "Log out" })).toBeInViewport();
    }
  });
});

test.describe("in French", () => {
  test.use({ locale: "fr-FR" });

  test("the browser's language is used, and the choice is switchable and remembered", async ({
    page,
  }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await page.getByLabel("Nom d'utilisateur").fill(ADMIN.username);
    await page.getByLabel("Mot de passe").fill(ADMIN.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page.getByRole("heading", { name: "Bienvenue, admin" })).toBeVisible();
    await expect(page).toHaveTitle("Accueil · Boutique");
    const nav = page.getByRole("navigation", { name: "Principale" });
    for (const name of ["Accueil", "Historique", "Utilisateurs", "Profil"]) {
      await expect(nav.getByRole("link", { name })).toBeVisible();
    }
    await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
    await expect(page.getByRole("article").first()).toContainText(/\d+,\d{2}\s€/);

    await page.getByLabel("Langue").selectOption("en");
    await expect(page.getByRole("heading", { name: "Welcome, admin" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle("Home · Shop");
    await page.reload();
    await expect(page.getByRole("heading", { name: "Welcome, admin" })).toBeVisible();
  });
});
