import { expect, test } from "@playwright/test";
import { loginInBrowser } from "./support/login";
import { e2eOidc, e2eUsers } from "./support/users";

test("single sign-on creates a viewer on first sign-in and signs them in", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: `Sign in with ${e2eOidc.name}` }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText(e2eOidc.user.email)).toBeVisible();
  await expect(page.getByTestId("current-role")).toHaveText("viewer");
  // The namespaces come from the client's own request: once they show, the page is hydrated and the
  // sign-out button (a client component) answers a click; a click before that does nothing.
  await expect(
    page
      .getByRole("region", { name: "Namespaces now" })
      .getByRole("link", { name: /^(payments|orders)$/ })
      .first(),
  ).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  await loginInBrowser(page, e2eUsers.admin.email, e2eUsers.admin.password);
  await page.goto("/users");
  const row = page.getByRole("row", { name: new RegExp(e2eOidc.user.email) });
  await expect(row).toContainText("viewer");
  await expect(row).toContainText("single sign-on");
});
