import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const screenshots = path.join(import.meta.dirname, "..", ".artifacts", "screens");

/** Serious and critical accessibility violations of the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return scan.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${page.url()}: ${violation.id} on ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

/** The page at a laptop's and a phone's size: a screenshot of each, and nothing wider than the phone's screen. */
export async function screenshotAtBothSizes(page: Page, name: string) {
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), {
        message: `${name} at ${width} px scrolls sideways`,
      })
      .toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 820 });
}
