import { expect, test } from "@playwright/test";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

// The browser's side of not-found.api.spec.ts: a 404 raised by notFound() arrives as Next.js's
// error document, which React renders from the inline payload. Here it must show the right
// not-found page, styled, within the dashboard where the segment has one.

test("a missing record or page answers 404 and shows its not-found page, styled", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  for (const [path, heading, isInDashboard] of [
    ["/peaks/999999", "No such peak", true],
    ["/peaks/abc", "No such peak", true],
    ["/known-issues/999999", "No such known issue", true],
    ["/namespaces/no-such-namespace", "No such namespace", true],
    // patterns/ has no not-found page of its own: the root one shows, inside the dashboard.
    ["/patterns/ffffffffffffff", "Page not found", true],
    ["/no-such-page", "Page not found", false],
  ] as const) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: heading }), path).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }), path).toHaveCount(isInDashboard ? 1 : 0);
    // globals.css gives the card its border; an unstyled page has none.
    const card = page.locator(".card", { has: page.getByRole("heading", { name: heading }) });
    await expect(card, path).toHaveCSS("border-top-style", "solid");
    const sheets = await page.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((link) => link.href));
    expect(sheets.length, path).toBeGreaterThan(0);
    for (const href of sheets) expect((await page.request.get(href)).status(), href).toBe(200);
  }
});
