import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { loginInBrowser } from "./support/login";
import { asSoleActiveAdmin } from "./support/sole-admin";
import { e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

async function openUsers(page: Page) {
  await loginInBrowser(page, e2eUsers.admin.email, e2eUsers.admin.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
}

test("an admin changes a role, disables, resets a password and deletes, each after a confirmation", async ({ page }) => {
  await openUsers(page);
  const email = `lifecycle-${Date.now()}@e2e.test`;
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("analyst");
  await page.getByRole("button", { name: "Create user" }).click();
  const row = page.getByTestId(`user-${email}`);
  await expect(row).toBeVisible();

  await row.getByLabel(`Role of ${email}`).selectOption("viewer");
  const confirmation = page.getByRole("group", { name: "Change role" });
  await expect(confirmation).toBeFocused();
  await expect(confirmation).toContainText(`Make ${email} a viewer? Their sessions end at once`);
  await confirmation.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByRole("region", { name: "Accounts" }).getByRole("status")).toHaveText(`${email} is now viewer; their sessions have ended.`);
  await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("viewer");

  await row.getByRole("button", { name: "Disable…" }).click();
  // Escape cancels without a change.
  await page.keyboard.press("Escape");
  await expect(page.getByRole("group", { name: "Disable" })).toHaveCount(0);
  await row.getByRole("button", { name: "Disable…" }).click();
  await page.getByRole("group", { name: "Disable" }).getByRole("button", { name: "Disable" }).click();
  await expect(row.getByRole("cell", { name: "disabled" })).toBeVisible();
  await expect(row.getByRole("button", { name: "Enable…" })).toBeVisible();

  await row.getByRole("button", { name: "Reset password…" }).click();
  await page.getByRole("group", { name: "Reset password" }).getByRole("button", { name: "Reset password" }).click();
  await expect(page.getByTestId("reset-password")).toHaveText(/^[A-Za-z0-9_-]{24}$/);
  await page.screenshot({ path: path.join(screenshots, "users-reset-password.png"), fullPage: true });

  await row.getByRole("button", { name: "Delete…" }).click();
  const deletion = page.getByRole("group", { name: "Delete user" });
  await expect(deletion).toContainText("This cannot be undone");
  await page.screenshot({ path: path.join(screenshots, "users-confirm-delete.png"), fullPage: true });
  await deletion.getByRole("button", { name: "Delete user" }).click();
  await expect(page.getByRole("region", { name: "Accounts" }).getByRole("status")).toHaveText(`Deleted ${email}.`);
  await expect(row).toHaveCount(0);
  // The password shown once is gone after a reload.
  await page.reload();
  await expect(page.getByTestId("reset-password")).toHaveCount(0);
});

test("the last active admin cannot demote themselves; the page says why", async ({ page }) => {
  await openUsers(page);
  await asSoleActiveAdmin(page.request, async () => {
    await page.reload();
    const own = page.getByTestId(`user-${e2eUsers.admin.email}`);
    await expect(own).toContainText("(you)");
    await own.getByLabel(`Role of ${e2eUsers.admin.email}`).selectOption("analyst");
    await page.getByRole("group", { name: "Change role" }).getByRole("button", { name: "Change role" }).click();
    await expect(page.getByRole("region", { name: "Accounts" }).getByRole("alert")).toHaveText(
      `${e2eUsers.admin.email} is the last active admin and cannot be demoted; make another user admin first`,
    );
    await expect(own.getByLabel(`Role of ${e2eUsers.admin.email}`)).toHaveValue("admin");
  });
  await expect(page.getByTestId("current-role")).toHaveText("admin");
});
