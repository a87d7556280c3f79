import { expect, type APIResponse } from "@playwright/test";

/** The directives of the response's one Content-Security-Policy header (two would both apply). */
export function policyOf(response: APIResponse): Map<string, string> {
  const policies = response.headersArray().filter((header) => header.name.toLowerCase() === "content-security-policy");
  expect(policies, `one Content-Security-Policy on ${response.url()}`).toHaveLength(1);
  return new Map(
    policies[0]!.value.split(";").map((directive) => {
      const [name = "", ...sources] = directive.trim().split(/\s+/);
      return [name, sources.join(" ")];
    }),
  );
}
