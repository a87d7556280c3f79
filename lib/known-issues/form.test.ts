import { describe, expect, it } from "vitest";
import {
  knownIssueFormFromPattern,
  describeMatcher,
  describeScope,
  draftFromForm,
  emptyKnownIssueForm,
  formErrorsFromIssues,
  formValuesFromIssue,
  hasErrors,
  previewInputFromForm,
  validateKnownIssueForm,
  type KnownIssueFormValues,
} from "./form";
import { createKnownIssueSchema } from "./contract";

function form(overrides: Partial<KnownIssueFormValues> = {}): KnownIssueFormValues {
  return { ...emptyKnownIssueForm(), title: "Orders DB refuses connections", patternIds: ["a1b2c3d4e5f60001"], ...overrides };
}

describe("draftFromForm", () => {
  it("leaves out blank rows and remembers which form row each entry came from", () => {
    const draft = draftFromForm(form({ patternIds: ["", " p1 ", "  "], regexes: ["x", "", "(y"] }));
    expect(draft.input.patternIds).toEqual(["p1"]);
    expect(draft.input.regexes).toEqual(["x", "(y"]);
    expect(draft.rowsOf).toEqual({ patternIds: [1], regexes: [0, 2] });
  });

  it("keeps a regex as typed, spaces included", () => {
    expect(draftFromForm(form({ regexes: [" timeout "] })).input.regexes).toEqual([" timeout "]);
  });

  it("sends blank text, which the API turns into a cleared value", () => {
    const body = draftFromForm(form({ description: "", link: "", namespace: "" })).input;
    const parsed = createKnownIssueSchema.parse(body);
    expect(parsed).toMatchObject({ description: null, link: null, namespace: null, appName: null });
  });
});

describe("knownIssueFormFromPattern", () => {
  it("is recognised by the pattern, titled by its template and scoped to its only namespace", () => {
    const values = knownIssueFormFromPattern({
      hash: "9f1c2a7be0d44e01",
      template: "Connection is not available,\n  timed out after <*>ms",
      namespaces: ["payments"],
    });
    expect(values).toMatchObject({
      title: "Connection is not available, timed out after <*>ms",
      namespace: "payments",
      patternIds: ["9f1c2a7be0d44e01"],
      regexes: [],
    });
    // The form's own check accepts it as it is.
    expect(validateKnownIssueForm(values, "create").errors).toBeNull();
  });
  it("shortens a long template to the longest title and leaves a pattern of several namespaces unscoped", () => {
    const values = knownIssueFormFromPattern({ hash: "abc", template: "x".repeat(500), namespaces: ["orders", "payments"] });
    expect(values.title).toHaveLength(200);
    expect(values.title.endsWith("…")).toBe(true);
    expect(values.namespace).toBe("");
    expect(createKnownIssueSchema.safeParse(draftFromForm(values).input).success).toBe(true);
  });
});

describe("formValuesFromIssue", () => {
  it("turns nulls into empty text and copies the lists", () => {
    const issue = { title: "T", description: null, link: null, namespace: "payments", appName: null, patternIds: ["p"], regexes: [] };
    const values = formValuesFromIssue(issue);
    expect(values).toEqual({ title: "T", description: "", link: "", namespace: "payments", appName: "", patternIds: ["p"], regexes: [] });
    values.patternIds.push("q");
    expect(issue.patternIds).toEqual(["p"]);
  });
});

describe("validateKnownIssueForm", () => {
  it("passes a title with one pattern id", () => {
    expect(validateKnownIssueForm(form(), "create").errors).toBeNull();
  });

  it("puts a missing title under the title", () => {
    const { errors } = validateKnownIssueForm(form({ title: "   " }), "create");
    expect(errors?.fields.title).toEqual(expect.any(String));
  });

  it("asks for a matcher when every row is blank, when creating and when editing", () => {
    for (const mode of ["create", "edit"] as const) {
      const { errors } = validateKnownIssueForm(form({ patternIds: [""], regexes: [" "] }), mode);
      expect(errors?.fields.patternIds, mode).toBe("give at least one pattern id or regular expression");
    }
  });

  it("puts an invalid regex under its own row, counting blank rows before it", () => {
    const { errors } = validateKnownIssueForm(form({ regexes: ["ok", "", "(unclosed"] }), "create");
    expect(errors?.rows.regexes).toEqual({ 2: expect.stringContaining('"(unclosed" is not a valid regular expression') });
    expect(errors?.fields.regexes).toBeUndefined();
  });

  it("refuses, under its row, a regex the linear-time engine cannot run, as the API would", () => {
    const { errors } = validateKnownIssueForm(form({ regexes: ["(a)\\1", "ok", "x(?=y)"] }), "create");
    expect(errors?.rows.regexes).toEqual({
      0: '"(a)\\\\1" is not supported: backreferences cannot run in linear time',
      2: '"x(?=y)" is not supported: lookahead cannot run in linear time',
    });
    const parsed = createKnownIssueSchema.safeParse({ title: "t", regexes: ["ok", "a".repeat(501)] });
    expect(parsed.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["regexes.1", `"${"a".repeat(40)}…" is too long: 501 characters, at most 500`],
    ]);
  });

  it("refuses a link that is not http(s)", () => {
    expect(validateKnownIssueForm(form({ link: "ftp://example.com/x" }), "edit").errors?.fields.link).toBe("must be an http(s) URL");
  });
});

describe("formErrorsFromIssues", () => {
  const draft = draftFromForm(form({ patternIds: ["p1", "", "p2", "p3"], regexes: ["", "a", "b"] }));

  it("maps the API's dotted paths to form rows", () => {
    const errors = formErrorsFromIssues([{ path: "regexes.1", message: "bad" }], draft);
    expect(errors.rows.regexes).toEqual({ 2: "bad" });
  });

  it("puts unknown pattern ids named in the message under their rows", () => {
    const errors = formErrorsFromIssues([{ path: "patternIds", message: "unknown pattern ids: p2, p3" }], draft);
    expect(errors.rows.patternIds).toEqual({ 2: "no stored pattern has this id", 3: "no stored pattern has this id" });
    expect(errors.fields.patternIds).toBeUndefined();
  });

  it("keeps an unknown-id message under the list when no row holds the id any more", () => {
    const errors = formErrorsFromIssues([{ path: "patternIds", message: "unknown pattern id: gone" }], draft);
    expect(errors.fields.patternIds).toBe("unknown pattern id: gone");
  });

  it("shows issues that name no form field above the form, once", () => {
    const errors = formErrorsFromIssues(
      [
        { path: "", message: "The request body must be JSON" },
        { path: "id", message: "Too small" },
        { path: "", message: "The request body must be JSON" },
      ],
      draft,
    );
    expect(errors.form).toEqual(["The request body must be JSON", "id: Too small"]);
  });

  it("keeps the first issue of a field and ignores an index beyond the rows", () => {
    const errors = formErrorsFromIssues(
      [
        { path: ["title"], message: "first" },
        { path: ["title"], message: "second" },
        { path: "regexes.9", message: "lost row" },
      ],
      draft,
    );
    expect(errors.fields.title).toBe("first");
    expect(errors.form).toEqual(["lost row"]);
    expect(hasErrors(errors)).toBe(true);
  });

  it("has no errors for no issues", () => {
    expect(hasErrors(formErrorsFromIssues([], draft))).toBe(false);
  });
});

describe("previewInputFromForm", () => {
  it("is null without a pattern id or regex", () => {
    expect(previewInputFromForm(form({ patternIds: ["", " "], regexes: [] }), 30)).toBeNull();
  });

  it("sends the matcher, the scope and the days", () => {
    expect(previewInputFromForm(form({ regexes: ["timeout"], namespace: "payments" }), 7)).toEqual({
      patternIds: ["a1b2c3d4e5f60001"],
      regexes: ["timeout"],
      namespace: "payments",
      appName: "",
      days: 7,
    });
  });

  it("does not change while only the title or the description changes", () => {
    const before = JSON.stringify(previewInputFromForm(form(), 30));
    expect(JSON.stringify(previewInputFromForm(form({ title: "Other", description: "more" }), 30))).toBe(before);
  });
});

describe("describeScope", () => {
  it.each([
    [null, null, "everywhere"],
    ["payments", null, "payments"],
    ["payments", "checkout-api", "payments / checkout-api"],
    [null, "checkout-api", "any namespace / checkout-api"],
  ])("%s and %s give %s", (namespace, appName, expected) => {
    expect(describeScope(namespace, appName)).toBe(expected);
  });
});

describe("describeMatcher", () => {
  it.each([
    [0, 0, "no matcher"],
    [1, 0, "1 pattern"],
    [2, 1, "2 patterns, 1 regex"],
    [0, 3, "3 regexes"],
  ])("%i patterns and %i regexes give %s", (patterns, regexes, expected) => {
    expect(describeMatcher(patterns, regexes)).toBe(expected);
  });
});
