import type { z } from "zod";
import { thresholdValuesSchema, type ThresholdValues } from "./contract";

export type ThresholdField = keyof ThresholdValues;
/** The form's inputs as typed: strings, so that a half-typed number is kept as it is. */
export type ThresholdDraft = Record<ThresholdField, string>;

export const thresholdFields = Object.keys(thresholdValuesSchema.shape) as ThresholdField[];

export function draftOf(values: ThresholdValues): ThresholdDraft {
  return Object.fromEntries(thresholdFields.map((field) => [field, String(values[field])])) as ThresholdDraft;
}

/** Parses the draft with the API's schema: the values, or one message per field in error. */
export function parseDraft(
  draft: ThresholdDraft,
): { values: ThresholdValues; errors: null } | { values: null; errors: Partial<Record<ThresholdField, string>> } {
  const errors: Partial<Record<ThresholdField, string>> = {};
  const numbers: Record<string, number> = {};
  for (const field of thresholdFields) {
    const text = draft[field].trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) errors[field] = "Enter a number";
    else numbers[field] = value;
  }
  if (Object.keys(errors).length > 0) return { values: null, errors };
  const parsed = thresholdValuesSchema.safeParse(numbers);
  if (parsed.success) return { values: parsed.data, errors: null };
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && thresholdFields.includes(field as ThresholdField) && !errors[field as ThresholdField]) {
      errors[field as ThresholdField] = readableIssue(issue);
    }
  }
  return { values: null, errors };
}

/** Maps the API's `details` ({path: "values.min_absolute_value", message}) onto the form's fields. */
export function fieldErrorsOf(details: unknown): Partial<Record<ThresholdField, string>> {
  const errors: Partial<Record<ThresholdField, string>> = {};
  if (!Array.isArray(details)) return errors;
  for (const detail of details as { path?: unknown; message?: unknown }[]) {
    if (typeof detail.path !== "string" || typeof detail.message !== "string") continue;
    const field = detail.path.replace(/^values\./, "") as ThresholdField;
    if (thresholdFields.includes(field)) errors[field] = sentence(detail.message);
  }
  return errors;
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** A bound in words ("Must be more than 0"), zod's own message for anything else. */
function readableIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "too_small" && typeof issue.minimum === "number")
    return issue.inclusive ? `Must be at least ${issue.minimum}` : `Must be more than ${issue.minimum}`;
  if (issue.code === "too_big" && typeof issue.maximum === "number")
    return issue.inclusive ? `Must be at most ${issue.maximum}` : `Must be less than ${issue.maximum}`;
  return sentence(issue.message);
}

/** Same values: what decides whether a backtest still describes the form. */
export function sameValues(left: ThresholdValues, right: ThresholdValues): boolean {
  return thresholdFields.every((field) => left[field] === right[field]);
}
