import path from "node:path";
import { expect, test } from "@playwright/test";
import { loginInBrowser } from "./support/login";
import { e2eUsers } from "./support/users";

const screenshots = path.join(import.meta.dirname, ".artifacts", "screens");

test("log in, see the overview, log out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2F$/);
  await expect(page.getByRole("heading", { name: "Peak Investigation" })).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "login.png") });

  await page.getByLabel("E-mail").fill(e2eUsers.admin.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("#login-error")).toHaveText("Wrong e-mail or password.");
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel("Password").fill(e2eUsers.admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No error windows recorded yet" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: /^On fire now/ })).toBeVisible();
  const namespaces = page.getByRole("region", { name: "Namespaces now" });
  await expect(namespaces.getByRole("link", { name: /^(payments|orders)$/ }).first()).toBeVisible();
  const stored = page.getByRole("region", { name: "Stored data" });
  await expect(stored.getByRole("row", { name: /users\s+\d+/ })).toBeVisible();
  await expect(page.getByTestId("current-role")).toHaveText("admin");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "overview.png"), fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2F$/);
});

test("a deep link survives the login", async ({ page }) => {
  await page.goto("/users");
  await expect(page).toHaveURL(/callbackUrl=%2Fusers/);
  await page.getByLabel("E-mail").fill(e2eUsers.admin.email);
  await page.getByLabel("Password").fill(e2eUsers.admin.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
});

test("a viewer sees no admin navigation and cannot open the users page", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.viewer.email, e2eUsers.viewer.password);
  await expect(page.getByTestId("current-role")).toHaveText("viewer");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
});

test("an admin creates a user and sees the generated password once", async ({ page }) => {
  await loginInBrowser(page, e2eUsers.admin.email, e2eUsers.admin.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await page.getByLabel("E-mail").fill("ui.viewer@e2e.test");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("generated-password")).toHaveText(/^[A-Za-z0-9_-]{24}$/);
  await expect(page.getByRole("cell", { name: "ui.viewer@e2e.test" })).toBeVisible();
  await page.screenshot({ path: path.join(screenshots, "users.png"), fullPage: true });
  await page.reload();
  await expect(page.getByTestId("generated-password")).toHaveCount(0);
});
