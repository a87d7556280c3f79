import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Signs in through next-auth's credentials endpoint; the session cookie stays in the request context. */
export async function loginOverHttp(request: APIRequestContext, email: string, password: string) {
  const csrf = await request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
}

/** Signs in through the login page and waits for the overview. */
export async function loginInBrowser(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // The first page after signing in may be compiled or rendered under load: allow it more than the default 5 s.
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 20_000 });
}
