import { expect, test, type Page } from "@playwright/test";
import type { PeakPage } from "@/lib/peaks/contract";
import { loginInBrowser } from "./support/login";
import { E2E_BASE_URL, e2eUsers } from "./support/users";

const siteOrigin = new URL(E2E_BASE_URL).origin;

/**
 * Records every Content-Security-Policy violation of a page: Chromium's console message
 * ("Refused to … because it violates the following Content Security Policy directive …") and
 * the document's `securitypolicyviolation` event, reported through a binding (which, like the
 * init script, runs outside the page's policy).
 */
async function recordPolicyViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(`console on ${page.url()}: ${message.text()}`);
  });
  await page.exposeBinding("reportPolicyViolation", ({ frame }, description: string) => {
    violations.push(`event on ${frame.url()}: ${description}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportPolicyViolation: (description: string) => void }).reportPolicyViolation;
      void report(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return violations;
}

/** Requests and navigations to any other host than the dashboard's; they are aborted. */
async function recordOffSiteRequests(page: Page): Promise<string[]> {
  const offSite: string[] = [];
  await page.context().route(
    (url) => url.origin !== siteOrigin,
    (route) => {
      offSite.push(route.request().url());
      return route.abort();
    },
  );
  return offSite;
}

test.describe("signing in with a hostile callbackUrl ends on this site", () => {
  const probes = [
    // The report: browsers drop the tab, and "/\t/evil.example" became "//evil.example".
    "%2F%09%2Fevil.example",
    "%2F%5Cevil.example",
    "https%3A%2F%2Fevil.example%2F",
    "javascript%3Aalert(document.domain)",
  ];

  for (const probe of probes) {
    test(`callbackUrl=${probe}`, async ({ page }) => {
      const offSite = await recordOffSiteRequests(page);
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(`/login?callbackUrl=${probe}`);
      await page.getByLabel("E-mail").fill(e2eUsers.viewer.email);
      await page.getByLabel("Password").fill(e2eUsers.viewer.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 20_000 });
      expect(new URL(page.url()).origin).toBe(siteOrigin);
      expect(new URL(page.url()).pathname).toBe("/");

      // Signed in already: the login page redirects at once, and home as well.
      await page.goto(`/login?callbackUrl=${probe}`);
      await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
      expect(page.url()).toBe(`${siteOrigin}/`);
      expect(offSite).toEqual([]);
      expect(dialogs).toEqual([]);
    });
  }

  test("a local deep link still survives the login", async ({ page }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent("/namespaces/payments")}`);
    await page.getByLabel("E-mail").fill(e2eUsers.viewer.email);
    await page.getByLabel("Password").fill(e2eUsers.viewer.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { name: "payments", level: 1 })).toBeVisible({ timeout: 20_000 });
    expect(page.url()).toBe(`${siteOrigin}/namespaces/payments`);
  });
});

test("the main pages run under the Content-Security-Policy without a single violation", async ({ page }) => {
  const violations = await recordPolicyViolations(page);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));

  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Peak Investigation" })).toBeVisible();
  // Hydrated: the form signs in through next-auth's client, not a plain form post.
  await loginInBrowser(page, e2eUsers.admin.email, e2eUsers.admin.password);
  await expect(page.getByRole("region", { name: "Namespaces" }).locator("svg").first()).toBeVisible();

  await page.goto("/namespaces/payments");
  await expect(page.getByRole("heading", { name: "payments", level: 1 })).toBeVisible();
  // recharts' chart: an SVG with style attributes, rendered on the client.
  await expect(page.locator(".recharts-surface").first()).toBeVisible();

  const { peaks } = (await (await page.request.get("/api/peaks?limit=1")).json()) as PeakPage;
  const peak = peaks[0];
  if (!peak) throw new Error("The sample data has no peak");
  await page.goto(`/peaks/${peak.id}`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Peak #${peak.id} in `) })).toBeVisible();
  await expect(page.getByRole("region", { name: "Why it was flagged" })).toBeVisible();

  await page.goto("/thresholds");
  await expect(page.getByRole("heading", { name: "Thresholds", level: 1 })).toBeVisible();

  for (const [path, heading] of [
    ["/peaks", "Peaks"],
    ["/namespaces", "Namespaces"],
    ["/known-issues", "Known issues"],
    ["/patterns", "Patterns"],
    ["/runs", "Pipeline runs"],
    ["/users", "Users"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
  }
  // The 404 page, rendered per request so that its scripts get the nonce too; hydrated, its link
  // navigates on the client.
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the overview" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  // Client-side navigation loads further chunks: trusted through 'strict-dynamic'.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Thresholds" }).click();
  await expect(page.getByRole("heading", { name: "Thresholds", level: 1 })).toBeVisible();

  // Let late reports (console messages arrive asynchronously) come in.
  await page.waitForTimeout(500);
  expect(violations).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test("an inline script injected into a page without the nonce is refused, and reported", async ({ page }) => {
  const violations = await recordPolicyViolations(page);
  // What a stored XSS would look like: the server's own HTML and headers, one script more.
  await page.route("**/login", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace("</body>", "<script>window.injectedScriptRan = true</script></body>");
    await route.fulfill({ response, body: html });
  });
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Peak Investigation" })).toBeVisible();
  await expect.poll(() => violations.some((violation) => violation.includes("script-src"))).toBe(true);
  expect(await page.evaluate(() => "injectedScriptRan" in window)).toBe(false);
});

test("another site cannot frame the dashboard", async ({ page }) => {
  const violations = await recordPolicyViolations(page);
  // A document of another origin (about:blank) with the login page in a frame.
  await page.setContent(`<iframe title="framed" src="${siteOrigin}/login" width="800" height="600"></iframe>`);
  await expect.poll(() => violations.some((violation) => violation.includes("frame-ancestors"))).toBe(true);
  const frame = page.frame({ url: (url) => url.pathname === "/login" });
  if (frame) await expect(frame.getByRole("heading", { name: "Peak Investigation" })).toHaveCount(0);
});
