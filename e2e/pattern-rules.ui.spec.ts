import { expect, test, type Page } from "@playwright/test";
import { formatCount } from "@/lib/format";
import type { PatternDetail, PatternPage } from "@/lib/patterns/contract";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

// An analyst merges a pattern into another, and splits one, from the pattern page and reverts
// both; the shared data ends as it began (the rules stay in the list, reverted, as every reverted
// rule does).

const patternPage = async (page: Page, hash: string) => {
  const answer = await page.request.get(`/api/patterns/${hash}`);
  expect(answer.ok()).toBe(true);
  return (await answer.json()) as PatternDetail;
};

test("an analyst merges a pattern into another from its page, sees the counts follow, and reverts it", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.analyst.email, e2eUsers.analyst.password);
  const list = (await (await page.request.get("/api/patterns?sort=occurrences&limit=10")).json()) as PatternPage;
  // Two patterns no rule names yet: the target and the one merged into it.
  const free: PatternDetail[] = [];
  for (const item of list.patterns) {
    const detail = await patternPage(page, item.hash);
    if (detail.rules.every((rule) => !rule.isActive) && detail.mergedFrom.length === 0 && detail.template.length < 150) free.push(detail);
    if (free.length === 2) break;
  }
  expect(free).toHaveLength(2);
  const [target, member] = free as [PatternDetail, PatternDetail];

  await page.goto(`/patterns/${target.hash}`);
  const rules = page.getByRole("region", { name: "Merges and splits" });
  await rules.getByRole("button", { name: "Merge with…" }).click();
  await rules.getByRole("searchbox", { name: "Find patterns to merge" }).fill(member.hash);
  await rules.getByRole("checkbox", { name: new RegExp(member.hash) }).check();
  await rules.getByRole("button", { name: "Merge 1 pattern into this one" }).click();
  await expect(rules.getByRole("status")).toContainText(`Merged (rule`);
  await expect(rules.getByText(`Shows the counts of 1 pattern merged into it: ${member.hash}.`)).toBeVisible();
  await expect(page.getByRole("region", { name: "Template" }).locator("dd").first()).toHaveText(formatCount(target.occurrences + member.occurrences));
  const merged = await patternPage(page, target.hash);
  expect(merged.occurrences).toBe(target.occurrences + member.occurrences);
  expect(merged.mergedFrom).toEqual([member.hash]);

  // The merged-away pattern's page says where it went, and links there.
  await page.goto(`/patterns/${member.hash}`);
  await expect(page.getByRole("status").filter({ hasText: "Merged: this pattern's counts" })).toBeVisible();
  await page.getByRole("link", { name: `pattern ${target.hash}` }).click();
  await expect(page.getByRole("heading", { name: `Pattern ${target.hash}`, level: 1 })).toBeVisible();

  // Revert: each pattern shows its own again.
  const rule = merged.rules.find((each) => each.isActive)!;
  await page
    .getByRole("region", { name: "Merges and splits" })
    .getByRole("button", { name: `Revert rule ${rule.id}` })
    .click();
  await expect(page.getByRole("region", { name: "Merges and splits" }).getByRole("status")).toContainText(`Reverted rule ${rule.id}`);
  const after = await patternPage(page, target.hash);
  expect([after.occurrences, after.mergedFrom]).toEqual([target.occurrences, []]);
  expect((await patternPage(page, member.hash)).mergedInto).toBeNull();
});

test("an analyst splits a pattern by a value its why-grouped card shows, numbered as the card numbers it, and reverts the split", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.analyst.email, e2eUsers.analyst.password);
  const list = (await (await page.request.get("/api/patterns?sort=occurrences&limit=20")).json()) as PatternPage;
  // A pattern no rule names, whose first wildcard has a value the card lists.
  let parent: PatternDetail | null = null;
  for (const item of list.patterns) {
    const detail = await patternPage(page, item.hash);
    const seen = detail.whyGrouped?.template === detail.template ? detail.whyGrouped.positions[0]?.values[0] : undefined;
    if (seen && detail.rules.length === 0 && detail.mergedFrom.length === 0 && detail.mergedInto === null) {
      parent = detail;
      break;
    }
  }
  expect(parent).not.toBeNull();
  const value = parent!.whyGrouped!.positions[0]!.values[0]!.value;

  await page.goto(`/patterns/${parent!.hash}`);
  await expect(page.getByRole("region", { name: "Why grouped" }).getByRole("heading", { name: "<*> #1", exact: true })).toBeVisible();
  const rules = page.getByRole("region", { name: "Merges and splits" });
  await rules.getByRole("button", { name: "Split…" }).click();
  const form = rules.getByRole("form", { name: "Split this pattern" });
  // The first wildcard is the card's <*> #1, and the values the card saw there are offered.
  await expect(form.getByLabel("Wildcard", { exact: true })).toHaveValue("1");
  await expect(form.getByLabel("Wildcard", { exact: true }).locator("option").first()).toContainText("<*> #1");
  await expect(form.locator("#pattern-split-seen-values option").first()).toHaveAttribute("value", value);
  await form.getByLabel("Value", { exact: true }).fill(value);
  await form.getByRole("button", { name: "Split", exact: true }).click();
  await expect(rules.getByRole("status")).toContainText("Split (rule");
  const split = await patternPage(page, parent!.hash);
  const rule = split.rules.find((each) => each.isActive && each.kind === "split")!;
  expect(rule.criterion).toEqual({ wildcard: 1, value });
  expect(rule.child?.template).toContain(value);
  await expect(rules.getByText(`where <*> #1 is "${value}"`)).toBeVisible();

  // Revert: the rule stays listed, reverted, and no split is in force.
  await rules.getByRole("button", { name: `Revert rule ${rule.id}` }).click();
  await expect(rules.getByRole("status")).toContainText(`Reverted rule ${rule.id}`);
  expect((await patternPage(page, parent!.hash)).rules.filter((each) => each.isActive)).toEqual([]);
});

test("a viewer sees the merges and splits but no controls, and the API refuses the viewer's merge", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  const list = (await (await page.request.get("/api/patterns?limit=2")).json()) as PatternPage;
  const [first, second] = list.patterns;
  await page.goto(`/patterns/${first!.hash}`);
  await expect(page.getByRole("heading", { name: "Merges and splits" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Merge with…" })).toHaveCount(0);
  const refused = await page.request.post("/api/patterns/merge", { data: { members: [second!.hash], into: first!.hash } });
  expect(refused.status()).toBe(403);
});
