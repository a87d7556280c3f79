/** Error types by rules: the first rule with a pattern that matches the message wins. */

export type ClassificationRule = { type: string; patterns: readonly string[] };

export const UNKNOWN_ERROR_TYPE = "unknown";

export type Classifier = (message: string) => string;

/** A classifier of the rules (values.yaml classification.rules): case-insensitive regular expressions, tried in order. */
export function createClassifier(rules: readonly ClassificationRule[]): Classifier {
  const compiled = rules.map((rule) => ({ type: rule.type, pattern: new RegExp(rule.patterns.map((pattern) => `(?:${pattern})`).join("|"), "i") }));
  return (message) => {
    for (const rule of compiled) if (rule.pattern.test(message)) return rule.type;
    return UNKNOWN_ERROR_TYPE;
  };
}
