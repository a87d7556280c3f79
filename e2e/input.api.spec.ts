import { expect, test, type APIResponse } from "@playwright/test";
import { loginOverHttp } from "./support/login";
import { e2eUsers } from "./support/users";

// Every id, cursor and text is validated at the edge: what no record can have is a 400 naming
// the field, never a 500 from the database.

test.describe("hostile input, signed in as an analyst", () => {
  test.beforeEach(async ({ request }) => {
    expect((await loginOverHttp(request, e2eUsers.analyst.email, e2eUsers.analyst.password)).ok()).toBe(true);
  });

  const fieldOf = async (response: APIResponse) => ((await response.json()) as { details?: { path: string }[] }).details?.map((issue) => issue.path);

  for (const id of ["2147483648", "9223372036854775808", "0", "-1", "1.5"]) {
    test(`an id of ${id} in a path is a 400 naming it`, async ({ request }) => {
      for (const path of [`/api/peaks/${id}`, `/api/known-issues/${id}`, `/api/pipeline/runs/${id}`]) {
        const response = await request.get(path);
        expect(response.status(), path).toBe(400);
        expect(await fieldOf(response), path).toEqual(["id"]);
      }
    });
  }

  test("a cursor or a 'before' id beyond any record is a 400 naming it", async ({ request }) => {
    const before = await request.get("/api/pipeline/runs?before=2147483648");
    expect(before.status()).toBe(400);
    expect(await fieldOf(before)).toEqual(["before"]);
    const cursor = Buffer.from("1767225600000:9999999999").toString("base64url");
    const page = await request.get(`/api/peaks?cursor=${cursor}`);
    expect(page.status()).toBe(400);
    expect(await fieldOf(page)).toEqual(["cursor"]);
  });

  test("a NUL character in a query or a body is a 400 naming the field, and nothing is stored", async ({ request }) => {
    const query = await request.get("/api/peaks?namespace=pay%00ments");
    expect(query.status()).toBe(400);
    expect(await fieldOf(query)).toEqual(["namespace"]);
    const body = await request.post("/api/known-issues", { data: { title: "Pool\u0000exhausted", patternIds: [], regexes: ["timeout"] } });
    expect(body.status()).toBe(400);
    expect(await fieldOf(body)).toEqual(["title"]);
    const issues = (await (await request.get("/api/known-issues")).json()) as unknown;
    expect(JSON.stringify(issues)).not.toContain("Pool");
  });
});
