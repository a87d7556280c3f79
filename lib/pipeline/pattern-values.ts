/**
 * The values behind a pattern's wildcards: which text of a message each `<*>` of its template
 * stands for. Used to show why messages were grouped (the values seen at each wildcard) and to
 * split a pattern by the value at one of its wildcards.
 *
 * The template is read as literal text between wildcards and matched against the message's
 * headline with runs of whitespace collapsed: the text before the first wildcard must start it,
 * the text after the last must end it, and every literal in between is found leftmost. Linear in
 * the headline for each literal (at most MAX_HEADLINE_LENGTH characters), no backtracking, so a
 * hostile message costs no more than a long one.
 */
import { headlineOf, WILDCARD } from "./patterns";

/** Characters kept of one value; a longer one is cut and marked with an ellipsis. */
export const MAX_WILDCARD_VALUE_LENGTH = 200;

/** The literal parts of a template, between and around its wildcards (one more than the wildcards). */
export function templateLiterals(template: string): string[] {
  return template.split(WILDCARD);
}

/** A value as kept: trimmed, and cut at MAX_WILDCARD_VALUE_LENGTH characters. */
function keptValue(value: string): string {
  const trimmed = value.trim();
  return trimmed.length > MAX_WILDCARD_VALUE_LENGTH ? `${trimmed.slice(0, MAX_WILDCARD_VALUE_LENGTH - 1)}…` : trimmed;
}

/**
 * The text at each wildcard of `template` in `message` (its headline, whitespace collapsed), in
 * order; null when the message does not fit the template's literal text (a message grouped by a
 * template that has since gained trailing details it lacks, or a template of another message).
 */
export function wildcardValues(template: string, message: string): string[] | null {
  const literals = templateLiterals(template);
  if (literals.length === 1) return literals[0] === collapseWhitespace(headlineOf(message)) ? [] : null;
  const text = collapseWhitespace(headlineOf(message));
  const head = literals[0]!;
  const tail = literals[literals.length - 1]!;
  if (!text.startsWith(head) || !text.endsWith(tail) || head.length + tail.length >= text.length) return null;
  const values: string[] = [];
  const end = text.length - tail.length;
  let at = head.length;
  for (let index = 1; index < literals.length - 1; index += 1) {
    const literal = literals[index]!;
    // A wildcard stands for at least one character; an empty literal (two wildcards touching) cannot be placed.
    if (literal === "") return null;
    const found = text.indexOf(literal, at + 1);
    if (found === -1 || found + literal.length > end) return null;
    values.push(keptValue(text.slice(at, found)));
    at = found + literal.length;
  }
  if (at >= end) return null;
  values.push(keptValue(text.slice(at, end)));
  return values;
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
