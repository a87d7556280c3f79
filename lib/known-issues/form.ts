/**
 * The known-issue form's values and their validation, kept pure so that the create and edit
 * pages, the live preview and their tests share one mapping between form rows and API fields.
 */
import { createKnownIssueSchema, NEEDS_A_MATCHER, updateKnownIssueSchema, type CreateKnownIssueInput, type PreviewMatchesInput } from "./contract";

/** What the form holds: text as typed; list rows may stay blank until filled. */
export type KnownIssueFormValues = {
  title: string;
  description: string;
  link: string;
  namespace: string;
  appName: string;
  patternIds: string[];
  regexes: string[];
};

export type KnownIssueFormMode = "create" | "edit";

export const scalarFields = ["title", "description", "link", "namespace", "appName"] as const;
export type ScalarField = (typeof scalarFields)[number];
export const listFields = ["patternIds", "regexes"] as const;
export type ListField = (typeof listFields)[number];

/** One problem with a field, as zod reports it or as the API's `details` carry it ("regexes.2"). */
export type FieldIssue = { path: string | readonly PropertyKey[]; message: string };

export type KnownIssueFormErrors = {
  /** Under a field; for a list, about the list as a whole. */
  fields: Partial<Record<ScalarField | ListField, string>>;
  /** Under a row of a list, by the row's index in the form. */
  rows: Record<ListField, Record<number, string>>;
  /** Problems that name no field of the form. */
  form: string[];
};

/** The JSON body of a create or an edit: every field, blank text included. */
export type KnownIssueBody = Record<ScalarField, string> & Record<ListField, string[]>;

/** The body for the form, and for each list which form row each of its entries came from. */
export type KnownIssueDraft = { input: KnownIssueBody; rowsOf: Record<ListField, number[]> };

/** A new issue's form: one pattern-id row ready to type into. */
export function emptyKnownIssueForm(): KnownIssueFormValues {
  return { title: "", description: "", link: "", namespace: "", appName: "", patternIds: [""], regexes: [] };
}

/** The longest title the API takes (lib/known-issues/contract.ts). */
const MAX_TITLE_CHARS = 200;

/**
 * A new issue's form started from a message pattern: recognised by that pattern, titled by its
 * template (shortened to the longest title), scoped to its namespace when it was seen in only one.
 */
export function knownIssueFormFromPattern(pattern: { hash: string; template: string; namespaces: readonly string[] }): KnownIssueFormValues {
  const template = pattern.template.replace(/\s+/g, " ").trim();
  const title = template.length <= MAX_TITLE_CHARS ? template : `${template.slice(0, MAX_TITLE_CHARS - 1)}…`;
  return { ...emptyKnownIssueForm(), title, namespace: pattern.namespaces.length === 1 ? pattern.namespaces[0]! : "", patternIds: [pattern.hash] };
}

/** The form's values for an existing issue. */
export function formValuesFromIssue(issue: {
  title: string;
  description: string | null;
  link: string | null;
  namespace: string | null;
  appName: string | null;
  patternIds: readonly string[];
  regexes: readonly string[];
}): KnownIssueFormValues {
  return {
    title: issue.title,
    description: issue.description ?? "",
    link: issue.link ?? "",
    namespace: issue.namespace ?? "",
    appName: issue.appName ?? "",
    patternIds: [...issue.patternIds],
    regexes: [...issue.regexes],
  };
}

/** Blank rows are left out rather than refused: an added row not filled in yet means nothing. */
function compactRows(rows: readonly string[]): { values: string[]; rows: number[] } {
  const values: string[] = [];
  const indexes: number[] = [];
  rows.forEach((value, index) => {
    if (value.trim() === "") return;
    values.push(value);
    indexes.push(index);
  });
  return { values, rows: indexes };
}

/**
 * The body to send for the form: every field, so that an edit can also clear one (blank text
 * becomes null on the server). Regexes are sent as typed: a space may be part of one.
 */
export function draftFromForm(values: KnownIssueFormValues): KnownIssueDraft {
  const patternIds = compactRows(values.patternIds);
  const regexes = compactRows(values.regexes);
  return {
    input: {
      title: values.title,
      description: values.description,
      link: values.link,
      namespace: values.namespace,
      appName: values.appName,
      patternIds: patternIds.values.map((id) => id.trim()),
      regexes: regexes.values,
    } satisfies CreateKnownIssueInput,
    rowsOf: { patternIds: patternIds.rows, regexes: regexes.rows },
  };
}

function noErrors(): KnownIssueFormErrors {
  return { fields: {}, rows: { patternIds: {}, regexes: {} }, form: [] };
}

export function hasErrors(errors: KnownIssueFormErrors): boolean {
  return Object.keys(errors.fields).length > 0 || listFields.some((field) => Object.keys(errors.rows[field]).length > 0) || errors.form.length > 0;
}

const isScalarField = (value: string): value is ScalarField => (scalarFields as readonly string[]).includes(value);
const isListField = (value: string): value is ListField => (listFields as readonly string[]).includes(value);

// The API names unknown pattern ids in its message only ("unknown pattern ids: a, b").
const UNKNOWN_PATTERN_IDS = /^unknown pattern ids?: (.+)$/;

/**
 * Issues placed where the form shows them: a list entry's issue under the row it came from,
 * unknown pattern ids under their rows, anything else under its field or above the form. The
 * first issue of a place wins, as the one to fix first.
 */
export function formErrorsFromIssues(issues: readonly FieldIssue[], draft: KnownIssueDraft): KnownIssueFormErrors {
  const errors = noErrors();
  const addForm = (message: string) => {
    if (!errors.form.includes(message)) errors.form.push(message);
  };
  for (const issue of issues) {
    const path = typeof issue.path === "string" ? issue.path.split(".").filter((part) => part !== "") : issue.path.map(String);
    const [field, index] = path;
    if (field === undefined) {
      addForm(issue.message);
    } else if (isListField(field) && index !== undefined && /^\d+$/.test(index)) {
      const row = draft.rowsOf[field][Number(index)];
      if (row === undefined) addForm(issue.message);
      else errors.rows[field][row] ??= issue.message;
    } else if (field === "patternIds" && UNKNOWN_PATTERN_IDS.test(issue.message)) {
      const unknown = new Set(UNKNOWN_PATTERN_IDS.exec(issue.message)![1]!.split(", "));
      const rows = draft.rowsOf.patternIds.filter((_row, position) => unknown.has(draft.input.patternIds[position]!));
      if (rows.length === 0) errors.fields.patternIds ??= issue.message;
      for (const row of rows) errors.rows.patternIds[row] ??= "no stored pattern has this id";
    } else if (isScalarField(field) || isListField(field)) {
      errors.fields[field] ??= issue.message;
    } else {
      addForm(`${path.join(".")}: ${issue.message}`);
    }
  }
  return errors;
}

/**
 * Checks the form with the API's own schema. An edit sends every field, so it must keep a
 * matcher just as a new issue must have one (the server refuses an edit that removes it).
 */
export function validateKnownIssueForm(
  values: KnownIssueFormValues,
  mode: KnownIssueFormMode,
): { draft: KnownIssueDraft; errors: KnownIssueFormErrors | null } {
  const draft = draftFromForm(values);
  const result = (mode === "create" ? createKnownIssueSchema : updateKnownIssueSchema).safeParse(draft.input);
  const issues: FieldIssue[] = result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  if (mode === "edit" && draft.input.patternIds.length === 0 && draft.input.regexes.length === 0) issues.push({ path: "patternIds", message: NEEDS_A_MATCHER });
  return { draft, errors: issues.length > 0 ? formErrorsFromIssues(issues, draft) : null };
}

/** Periods the preview offers, in days. */
export const previewDayOptions = [7, 30, 90] as const;

/** The JSON body of POST /api/known-issues/preview. */
export type PreviewRequest = { patternIds: string[]; regexes: string[]; namespace: string; appName: string; days: number };

/** The preview request for the form's matcher and scope; null when it has neither a pattern id nor a regex. */
export function previewInputFromForm(values: KnownIssueFormValues, days: number): PreviewRequest | null {
  const { input } = draftFromForm(values);
  if (input.patternIds.length === 0 && input.regexes.length === 0) return null;
  return { patternIds: input.patternIds, regexes: input.regexes, namespace: input.namespace, appName: input.appName, days } satisfies PreviewMatchesInput;
}

/** "payments / checkout-api", "payments", "any namespace / checkout-api" or "everywhere". */
export function describeScope(namespace: string | null, appName: string | null): string {
  if (namespace === null && appName === null) return "everywhere";
  return `${namespace ?? "any namespace"}${appName === null ? "" : ` / ${appName}`}`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "2 patterns, 1 regex"; "no matcher" when both are empty. */
export function describeMatcher(patternCount: number, regexCount: number): string {
  const parts = [
    ...(patternCount > 0 ? [plural(patternCount, "pattern", "patterns")] : []),
    ...(regexCount > 0 ? [plural(regexCount, "regex", "regexes")] : []),
  ];
  return parts.length > 0 ? parts.join(", ") : "no matcher";
}
