/**
 * Message templates: the variable parts of an error message (ids, numbers, addresses, times,
 * quoted values) masked, so that one logical error has one template.
 */

type Mask = { pattern: RegExp; replacement: string };

// Order matters: wider shapes first (a URL contains a host, a port and numbers).
const MASKS: readonly Mask[] = [
  { pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, replacement: "<URL>" },
  { pattern: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, replacement: "<EMAIL>" },
  { pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, replacement: "<UUID>" },
  { pattern: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, replacement: "<TIME>" },
  { pattern: /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, replacement: "<TIME>" },
  { pattern: /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, replacement: "<IP>" },
  { pattern: /\b(?:[0-9a-f]{1,4}:){4,7}[0-9a-f]{1,4}\b/gi, replacement: "<IP>" },
  { pattern: /([A-Za-z_$][\w$.]*)@[0-9a-f]{4,}\b/g, replacement: "$1@<HEX>" },
  { pattern: /\b0x[0-9a-f]+\b/gi, replacement: "<HEX>" },
  { pattern: /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, replacement: "<HEX>" },
  { pattern: /"[^"\n]{1,200}"/g, replacement: '"<*>"' },
  { pattern: /'[^'\n]{1,200}'/g, replacement: "'<*>'" },
  { pattern: /\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds|m|min|mins|minutes|h|hours)\b/gi, replacement: "<DURATION>" },
  { pattern: /(?<![\w<])[-+]?\d+(?:[.,]\d+)*(?![\w>])/g, replacement: "<NUM>" },
  // Tokens mixing letters and digits (pod names, request ids): the digits make them instances.
  { pattern: /\b(?=[\w-]*\d)(?=[\w-]*[a-z])[\w]+(?:-[\w]+)*-[a-z0-9]{4,}\b/gi, replacement: "<ID>" },
];

const MAX_MESSAGE_LENGTH = 2000;

const PYTHON_TRACEBACK = "Traceback (most recent call last):";

/** The line that says what went wrong: the first (stack frames follow), or the last of a Python traceback. */
function headlineOf(message: string): string {
  const newline = message.indexOf("\n");
  if (newline === -1) return message;
  const first = message.slice(0, newline);
  if (first.trim() !== PYTHON_TRACEBACK) return first;
  const lines = message.split("\n").filter((line) => line.trim() !== "");
  return lines.at(-1) ?? first;
}

/** The template of a message: its headline line, variables masked, spaces collapsed. */
export function templateOf(message: string): string {
  let text = headlineOf(message).slice(0, MAX_MESSAGE_LENGTH);
  for (const mask of MASKS) text = text.replace(mask.pattern, mask.replacement);
  return text.replace(/\s+/g, " ").trim() || "<empty>";
}

/**
 * A stable 53-bit hash of a text as 14 hex digits (cyrb53): the same text gives the same id
 * on every run and machine.
 */
export function stableHash(text: string): string {
  let first = 0xdeadbeef;
  let second = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 2654435761);
    second = Math.imul(second ^ code, 1597334677);
  }
  first = Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
  second = Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
  return (4294967296 * (2097151 & second) + (first >>> 0)).toString(16).padStart(14, "0");
}
