import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { loginInBrowser, loginOverHttp } from "./support/login";
import { E2E_BASE_URL, e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");
const WIDTH = 390;

// A phone: every dashboard page fits its width; wide tables scroll inside their own box.
test.use({ viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

async function json<T>(context: APIRequestContext, url: string): Promise<T> {
  const response = await context.get(url);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}

/** A peak of the sample data and its namespace. */
async function samplePeak(): Promise<{ id: number; namespace: string }> {
  const admin = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  await loginOverHttp(admin, e2eUsers.admin.email, e2eUsers.admin.password);
  const { peaks } = await json<{ peaks: { id: number; namespace: string }[] }>(admin, "/api/peaks?limit=1");
  await admin.dispose();
  return peaks[0]!;
}

test("at 390 px every dashboard page fits the screen's width, and the navigation stays usable", async ({ page }) => {
  test.setTimeout(180_000);
  const peak = await samplePeak();
  await loginInBrowser(page, e2eUsers.admin.email, e2eUsers.admin.password);
  const pages: [name: string, url: string][] = [
    ["overview", "/"],
    ["incidents", "/incidents"],
    ["peaks", "/peaks"],
    ["peak", `/peaks/${peak.id}`],
    ["namespaces", "/namespaces"],
    ["namespace", `/namespaces/${encodeURIComponent(peak.namespace)}`],
    ["namespace-90d", `/namespaces/${encodeURIComponent(peak.namespace)}?range=90d`],
    ["known-issues", "/known-issues"],
    ["patterns", "/patterns"],
    ["thresholds", "/thresholds"],
    ["runs", "/runs"],
    ["users", "/users"],
  ];
  const overflowing: string[] = [];
  for (const [name, url] of pages) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 }), url).toBeVisible();
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    if (width > WIDTH) {
      // What sticks out, to name in the failure.
      const culprits = await page.evaluate((limit) => {
        const found: string[] = [];
        for (const element of document.querySelectorAll<HTMLElement>("main *, aside *")) {
          const box = element.getBoundingClientRect();
          if (box.right > limit + 1 && !element.closest(".table-scroll, .namespace-scroll, .range-peaks-scroll")) {
            found.push(`${element.tagName.toLowerCase()}.${element.className || ""} (right ${Math.round(box.right)})`);
          }
        }
        return found.slice(0, 5);
      }, WIDTH);
      overflowing.push(`${url}: ${width} px wide: ${culprits.join(", ")}`);
    }
    await page.screenshot({ path: path.join(screenshots, `mobile-${name}.png`), fullPage: true });
  }
  expect(overflowing).toEqual([]);

  // The navigation: every item is on screen and leads to its page.
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const link of await nav.getByRole("link").all()) {
    const box = (await link.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
  }
  await nav.getByRole("link", { name: "Peaks" }).click();
  await expect(page).toHaveURL(/\/peaks$/);
});
