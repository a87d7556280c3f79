/**
 * Error patterns: one logical error is one pattern. Messages are cut to their headline,
 * tokenised on whitespace with the variable tokens (ids, numbers, addresses, times, quoted
 * values …) masked as `<*>`, and clustered online in the spirit of Drain: a tree keyed by token
 * count and first token leads to a few candidate templates, and a message joins the most similar
 * one when the tokens that differ look variable. A plain word that differs (refused / reset)
 * starts a template of its own; only when one position has shown several different words across
 * otherwise identical templates is it taken as a variable (user names, table names …) and
 * those templates merge (two positions at once likewise). The tree's first-token branch would
 * keep templates that differ only in their first word apart (a unit or a host first), so those
 * are grouped by the rest of their tokens and merge the same way. Trailing `key: <*>` details are
 * compared by their keys apart from the rest, so an optional last detail does not split a
 * pattern, and a short optional ending with a value joins the template without it. Each pattern
 * keeps the id it was born with (a hash of its first template), however its template is refined
 * later.
 */
import { stableHash } from "./hash";

export const WILDCARD = "<*>";

export type PatternMinerOptions = {
  /** Share of a template's non-wildcard tokens a message must match to join it (Drain's st). */
  similarityThreshold: number;
  /** Different plain words one position must show before it counts as a variable. */
  distinctWordsForVariable: number;
  /** Example messages kept per pattern. */
  maxExamples: number;
  /**
   * Classic Drain: every differing token of a similar enough template becomes a wildcard at
   * once, words and codes included. Off by default: measured on the labelled fixtures, keeping
   * words and codes apart until proven variable groups better (docs/benchmarks.md).
   */
  joinAnyDifference: boolean;
  /**
   * Leaves of the tree holding at least this many templates are indexed by their constant tokens,
   * so that a message's exact fit is looked up rather than searched for (Infinity: never). Only
   * a speed-up: the fit found is the one the search would find, so the patterns are the same.
   */
  indexLeavesFrom: number;
};

export const defaultPatternMinerOptions: PatternMinerOptions = {
  similarityThreshold: 0.5,
  distinctWordsForVariable: 3,
  maxExamples: 3,
  joinAnyDifference: false,
  indexLeavesFrom: 16,
};

const MAX_HEADLINE_LENGTH = 2000;
/** Positions in which sibling templates may differ (words only) and still merge once proven variable. */
const MAX_SIBLING_POSITIONS = 2;
/** An optional ending: at most this many tokens, one of them a value, after at least MIN_TOKENS_BEFORE_OPTIONAL tokens. */
const MAX_OPTIONAL_ENDING = 3;
const MIN_TOKENS_BEFORE_OPTIONAL = 3;
const MAX_QUOTED_LENGTH = 200;
const PYTHON_TRACEBACK = "Traceback (most recent call last):";

/** The line that says what went wrong: the first (stack frames follow), or the last of a Python traceback. */
export function headlineOf(message: string): string {
  const newline = message.indexOf("\n");
  let headline = message;
  if (newline !== -1) {
    const first = message.slice(0, newline);
    if (first.includes(PYTHON_TRACEBACK) && first.trim() === PYTHON_TRACEBACK) {
      headline = lastLineWithText(message) ?? first;
    } else {
      headline = first;
    }
  }
  return headline.length > MAX_HEADLINE_LENGTH ? headline.slice(0, MAX_HEADLINE_LENGTH) : headline;
}

/** The last line of a text that is not blank, found from the end. */
function lastLineWithText(text: string): string | undefined {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end);
    if (line.trim() !== "") return line;
    end = start - 1;
  }
  return undefined;
}

/** The first three characters of a word as one number: a cheap test before a string lookup. */
const prefixCode = (word: string) => (word.charCodeAt(0) << 16) | (word.charCodeAt(1) << 8) | word.charCodeAt(2);
/** prefixCode of the characters at `at` in a text's codes. */
const prefixAt = (codes: Uint8Array, at: number) => (codes[at]! << 16) | (codes[at + 1]! << 8) | codes[at + 2]!;

/**
 * The text being tokenised as one byte per UTF-16 unit (a unit above 255 reads as 255, which no
 * rule looks for), followed by three zeros so that a look ahead past the end matches nothing.
 * Bytes are read about twice as fast as charCodeAt. One buffer is reused: tokenize runs to its
 * end before the next call.
 */
let codeBuffer = new Uint8Array(1024);
const utf8 = new TextEncoder();

function codesOf(text: string): Uint8Array {
  const length = text.length;
  if (codeBuffer.length < length + 3) codeBuffer = new Uint8Array(Math.max(length + 3, codeBuffer.length * 2));
  const codes = codeBuffer;
  const { read, written } = utf8.encodeInto(text, codes);
  if (read !== length || written !== length) {
    // Not ASCII: UTF-8 would move the positions, so the units are copied one by one.
    for (let index = 0; index < length; index += 1) {
      const code = text.charCodeAt(index);
      codes[index] = code > 255 ? 255 : code;
    }
  }
  codes[length] = 0;
  codes[length + 1] = 0;
  codes[length + 2] = 0;
  return codes;
}

const CODE_0 = 48;
const CODE_9 = 57;
const isDigit = (code: number) => code >= CODE_0 && code <= CODE_9;
const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isUpperCase = (code: number) => code >= 65 && code <= 90;

/**
 * Whether a token of `length` letters only (at `from`) is a plain word, as isVariableToken would
 * decide: not empty, not an HTTP method (two capitals first, 3 to 7 letters) and too short for
 * a hex id (12 or more).
 */
function isPlainWord(codes: Uint8Array, from: number, length: number): boolean {
  if (length === 0 || length >= 12) return false;
  return !(length >= 3 && length <= 7 && isUpperCase(codes[from]!) && isUpperCase(codes[from + 1]!));
}

const isHexLetter = (code: number) => (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

// Punctuation that wraps a token without belonging to it: "(id", "123)," "[a1b2]", "value;".
const isLeadingPunctuation = (code: number) => code === 40 || code === 91 || code === 123 || code === 60; // ( [ { <
const isTrailingPunctuation = (code: number) =>
  code === 41 || code === 93 || code === 125 || code === 44 || code === 59 || code === 46 || code === 58 || code === 62; // ) ] } , ; . : >

/** Words after which a three-digit number is an HTTP status, part of the error's identity. */
const STATUS_WORDS = new Set([
  "status",
  "code",
  "statuscode",
  "http",
  "status:",
  "code:",
  "statuscode:",
  "status=",
  "code=",
  "returned",
  "responded",
  "answered",
  "success:",
]);

const MAX_STATUS_WORD_LENGTH = Math.max(...[...STATUS_WORDS].map((word) => word.length));

/** Units of size and time that follow a number; with it they are one value. */
const UNITS = new Set([
  "B",
  "KB",
  "MB",
  "GB",
  "TB",
  "KiB",
  "MiB",
  "GiB",
  "TiB",
  "kB",
  "ns",
  "us",
  "µs",
  "ms",
  "s",
  "sec",
  "secs",
  "second",
  "seconds",
  "min",
  "mins",
  "minute",
  "minutes",
  "h",
  "hr",
  "hrs",
  "hour",
  "hours",
]);

/** A word's length with its first and last characters, as one number: a cheap test before a string lookup. */
const wordShape = (codes: Uint8Array, from: number, to: number) => ((to - from) << 16) | (codes[from]! << 8) | codes[to - 1]!;
const UNIT_SHAPES = new Set([...UNITS].map((unit) => (unit.length << 16) | (unit.charCodeAt(0) << 8) | unit.charCodeAt(unit.length - 1)));

/** First letters of the units: B G K M T k m n s u h µ. */
const isUnitInitial = (code: number) =>
  code === 66 ||
  code === 71 ||
  code === 75 ||
  code === 77 ||
  code === 84 ||
  code === 107 ||
  code === 109 ||
  code === 110 ||
  code === 115 ||
  code === 117 ||
  code === 104 ||
  code === 181;

const MONTH_NAMES = new Set([
  ..."Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" "),
  ..."January February March April June July August September October November December".split(" "),
]);
const CALENDAR_WORDS = new Set([...MONTH_NAMES, ..."Mon Tue Wed Thu Fri Sat Sun Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(" ")]);

/** The first three letters of month and weekday names, as numbers: a cheap test before a string lookup. */
const CALENDAR_PREFIXES = new Set([...CALENDAR_WORDS].map(prefixCode));
/** First letters of month and weekday names: A D F J M N O S T W. */
const isCalendarInitial = (code: number) =>
  code === 65 || code === 68 || code === 70 || code === 74 || code === 77 || code === 78 || code === 79 || code === 83 || code === 84 || code === 87;
/** The predicates the tokenizer asks of every token's first and last characters, as bits of one table. */
const LEADING = 1;
const TRAILING = 2;
const UNIT_INITIAL = 4;
const CALENDAR_INITIAL = 8;
const CHARACTER_FLAGS = new Uint8Array(256);
for (let code = 0; code < 256; code += 1) {
  CHARACTER_FLAGS[code] =
    (isLeadingPunctuation(code) ? LEADING : 0) |
    (isTrailingPunctuation(code) ? TRAILING : 0) |
    (isUnitInitial(code) ? UNIT_INITIAL : 0) |
    (isCalendarInitial(code) ? CALENDAR_INITIAL : 0);
}
const isCalendarPrefix = (codes: Uint8Array, at: number) => CALENDAR_PREFIXES.has(prefixAt(codes, at));
const isEmptyPair = (open: number, close: number) => (open === 40 && close === 41) || (open === 91 && close === 93) || (open === 123 && close === 125);
const isComparison = (code: number) => code === 60 || code === 62 || code === 126; // < > ~

/** HTTP methods are request details, not part of an error's identity. */
const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

const HTTP_METHOD_PREFIXES = new Set([...HTTP_METHODS].map(prefixCode));

/** Error codes whose number names the error (ORA-00001, ERR_…, SQLSTATE 23505, errno). */
const ERROR_CODE = /^(?:ORA|PLS|TNS|SQL|ERR|AADSTS|E|HTTP)-?\d{2,6}:?$/;
/** First letters of ERROR_CODE's prefixes (A E H O P S T): a cheap test before it. */
const isErrorCodeInitial = (code: number) => code === 65 || code === 69 || code === 72 || code === 79 || code === 80 || code === 83 || code === 84;

function isStatusCode(codes: Uint8Array, start: number): boolean {
  const first = codes[start]!;
  return first >= 49 && first <= 53; // 1xx … 5xx
}

/**
 * Whether a token that contains a digit is an identifier rather than a value: a word with a
 * short numeric part (OAuth2, S3Exception, log4j, utf8, Http2), not an id (x2k4j, user123, a1b2c3).
 */
function isIdentifierWithDigits(codes: Uint8Array, start: number, end: number, digits: number): boolean {
  const length = end - start;
  if (length < 4 || !isLetter(codes[start]!)) return false;
  if (digits * 4 > length) return false;
  for (let index = start; index < end; index += 1) {
    const code = codes[index]!;
    if (!isLetter(code) && !isDigit(code) && code !== 95) return false;
  }
  // Digits in one run only (Http2Exception), not interleaved (k8s8x).
  let runs = 0;
  for (let index = start; index < end; index += 1) {
    if (isDigit(codes[index]!) && !isDigit(codes[index - 1]!)) runs += 1;
  }
  return runs === 1;
}

/**
 * What a token's characters add up to, one field of 8 bits each: letters, digits, hex letters
 * (a-f, also counted as letters) and marks, the characters whose place in a token changes what it
 * is (@ . / = : #). A token of at most MAX_COUNTED_LENGTH characters is summed without overflow;
 * one without marks is decided from its counts alone (isValueWithoutMarks).
 */
const LETTER_COUNT = 1;
const DIGIT_COUNT = 1 << 8;
const HEX_COUNT = 1 << 16;
const MARK_COUNT = 1 << 24;
const MAX_COUNTED_LENGTH = 255;
const CHARACTER_COUNTS = new Int32Array(256);
for (let code = 0; code < 256; code += 1) {
  if (isLetter(code)) CHARACTER_COUNTS[code] = LETTER_COUNT + (isHexLetter(code) ? HEX_COUNT : 0);
  else if (isDigit(code)) CHARACTER_COUNTS[code] = DIGIT_COUNT;
}
for (const mark of "@./=:#") CHARACTER_COUNTS[mark.charCodeAt(0)] = MARK_COUNT;
const lettersOf = (counts: number) => counts & 0xff;
const digitsOf = (counts: number) => (counts >>> 8) & 0xff;
const hexLettersOf = (counts: number) => (counts >>> 16) & 0xff;
const marksOf = (counts: number) => counts >>> 24;

/**
 * Whether a token (without its wrapping punctuation) is a variable value: contains a digit (and
 * is not an identifier or a status code), or is a long hex string, an address, a URL, an e-mail.
 */
function isVariableToken(codes: Uint8Array, text: string, start: number, end: number, previous: string | undefined): boolean {
  let digits = 0;
  let hexLetters = 0;
  let at = -1;
  let dotAfterAt = false;
  let dots = 0;
  let hasSlash = false;
  let equals = -1;
  for (let index = start; index < end; index += 1) {
    const code = codes[index]!;
    const count = CHARACTER_COUNTS[code]!;
    if (count < MARK_COUNT) {
      digits += (count >>> 8) & 1;
      hexLetters += (count >>> 16) & 1;
      continue;
    }
    if (code === 64) {
      if (at === -1) at = index;
    } else if (code === 46) {
      dots += 1;
      if (at !== -1) dotAfterAt = true;
    } else if (code === 47) hasSlash = true;
    else if (code === 61) {
      if (equals === -1) equals = index;
    } else if (code === 58 && codes[index + 1] === 47 && codes[index + 2] === 47 && index + 2 < end) return true; // a URL
  }
  const length = end - start;
  if (equals > start && equals < end - 1 && isName(text, start, equals)) {
    // key=value: the key stays, the value decides.
    return isVariableToken(codes, text, equals + 1, end, undefined);
  }
  // Paths (/api/orders/17/items) and user@host pairs are request details.
  if (hasSlash && codes[start] === 47 && length > 1 && text.lastIndexOf("/", end - 1) > start) return true;
  // A dotted name with a path after it (com.example.app/.MainActivity, example.org/static/app.js) is a component or resource.
  if (hasSlash && dots > 0 && isLetter(codes[start]!) && text.indexOf(".", start) < text.indexOf("/", start)) return true;
  if (digits === 0) {
    if (at !== -1) return dotAfterAt || (isName(text, start, at) && isName(text, at + 1, end)); // e-mail, user@host
    if (dots > 0 && isHostName(codes, text, start, end)) return true;
  } else if (dots > 0 && !hasSlash && at === -1 && equals === -1 && isQualifiedClassName(codes, start, end)) {
    // A package with a digit in it (org.springframework.security.oauth2.jwt.JwtDecoder…, psycopg2.errors.UniqueViolation) names the error.
    return false;
  }
  return isValueWithoutMarks(codes, text, start, end, digits, hexLetters, previous, !hasSlash && at === -1);
}

/**
 * A qualified class name: two or more dot-separated labels, each a letter followed by letters,
 * digits, _ or $, the last one starting with a capital and holding a lower-case letter
 * (oauth2.jwt.JwtDecoder, psycopg2.errors.UniqueViolation, not v1.2.3 or node-7.pod or ID.X1).
 */
function isQualifiedClassName(codes: Uint8Array, start: number, end: number): boolean {
  let labelStart = start;
  for (let index = start; index <= end; index += 1) {
    if (index < end && codes[index] !== 46) {
      const code = codes[index]!;
      const allowed = index === labelStart ? isLetter(code) : isLetter(code) || isDigit(code) || code === 95 || code === 36;
      if (!allowed) return false;
      continue;
    }
    if (index === labelStart) return false; // an empty label
    if (index === end) {
      if (labelStart === start || !isUpperCase(codes[labelStart]!)) return false;
      for (let letter = labelStart + 1; letter < end; letter += 1) if (codes[letter]! >= 97 && codes[letter]! <= 122) return true;
      return false;
    }
    labelStart = index + 1;
  }
  return false;
}

/**
 * What isVariableToken says once the marks have had their say (or of a token without any): a
 * word is a value when it is an HTTP method or a long hex id; a token with digits is one unless
 * it is a status after a status word, an error code, or (`mayBeIdentifier`) an identifier.
 */
function isValueWithoutMarks(
  codes: Uint8Array,
  text: string,
  start: number,
  end: number,
  digits: number,
  hexLetters: number,
  previous: string | undefined,
  mayBeIdentifier: boolean,
): boolean {
  const length = end - start;
  if (digits === 0) {
    const first = codes[start]!;
    if (length >= 3 && length <= 7 && isUpperCase(first) && HTTP_METHOD_PREFIXES.has(prefixAt(codes, start)) && HTTP_METHODS.has(text.slice(start, end)))
      return true;
    return length >= 12 && hexLetters === length; // e.g. deadbeefcafe… ids without digits
  }
  if (digits === length && length === 3 && previous !== undefined && isStatusCode(codes, start)) {
    // A status after a status word, or after the quoted request of an access log line.
    if ((previous.length <= MAX_STATUS_WORD_LENGTH && STATUS_WORDS.has(previous.toLowerCase())) || previous === `"${WILDCARD}"`) return false;
  }
  if (isErrorCodeInitial(codes[start]!) && ERROR_CODE.test(text.slice(start, end))) return false;
  return !(mayBeIdentifier && isIdentifierWithDigits(codes, start, end, digits));
}

/**
 * The mask of a variable token: the key of key=value and the class of an object id stay
 * (timeout=<*>, com.acme.Order@<*>); anything else becomes the wildcard.
 */
function maskedValue(codes: Uint8Array, text: string, start: number, end: number): string {
  // Searched within the token only: an unbounded indexOf would read the rest of the line for every value.
  let equals = -1;
  for (let index = start; index < end; index += 1) {
    const code = codes[index]!;
    if (code === 58 && codes[index + 1] === 47 && codes[index + 2] === 47 && index + 2 < end) return WILDCARD; // a URL
    if (code === 61 && equals === -1) equals = index;
  }
  if (equals > start && equals < end - 1 && isName(text, start, equals)) return `${text.slice(start, equals + 1)}${WILDCARD}`;
  // A name before an id stays: com.acme.Order@1a2b, [com.acme.StockItem#8812], ClientConnectionId:5f…
  for (let index = start; index < end - 1; index += 1) {
    const code = codes[index]!;
    if (code === 64 || code === 35 || code === 58) {
      // After @ only an object id (with a digit) keeps the class; user@host is a value as a whole.
      let hasDigit = false;
      let hasDot = false;
      for (let after = index + 1; after < end; after += 1) {
        const next = codes[after]!;
        if (isDigit(next)) hasDigit = true;
        else if (next === 46) hasDot = true;
      }
      if (index > start + 1 && (code !== 64 || hasDigit) && !hasDot && !(code === 58 && isHostBeforePort(text, start, index)))
        return `${text.slice(start, index + 1)}${WILDCARD}`;
      break;
    }
    if (!isLetter(code) && code !== 46 && code !== 95 && code !== 36) break;
  }
  return WILDCARD;
}

/** Top-level domains that end a host name; a dotted name ending otherwise (com.acme.Order, java.lang.Error, app.js) is not a host. */
const TOP_LEVEL_DOMAINS = new Set([
  "com",
  "net",
  "org",
  "io",
  "edu",
  "gov",
  "mil",
  "int",
  "info",
  "biz",
  "dev",
  "app",
  "cloud",
  "local",
  "localdomain",
  "internal",
  "lan",
  "corp",
  "home",
  "arpa",
]);

/**
 * A host name: two or more dot-separated labels of lower-case letters, digits and hyphens, the
 * last one a top-level domain (or a two-letter country code after at least two labels).
 */
function isHostName(codes: Uint8Array, text: string, start: number, end: number): boolean {
  let labels = 1;
  let lastDot = -1;
  for (let index = start; index < end; index += 1) {
    const code = codes[index]!;
    if (code === 46) {
      if (index === start || codes[index - 1] === 46) return false;
      labels += 1;
      lastDot = index;
    } else if (!(code >= 97 && code <= 122) && !isDigit(code) && code !== 45) return false;
  }
  if (lastDot === -1 || lastDot >= end - 1) return false;
  const tld = text.slice(lastDot + 1, end);
  if (TOP_LEVEL_DOMAINS.has(tld) || (labels >= 3 && tld.length === 2)) return true;
  // A reverse domain name in lower case (com.example.shop, org.mozilla.firefox): an application's id.
  const firstDot = text.indexOf(".", start);
  return labels >= 3 && REVERSE_DOMAIN_ROOTS.has(text.slice(start, firstDot));
}

/** First labels of reverse domain names (application and package ids). */
const REVERSE_DOMAIN_ROOTS = new Set(["com", "org", "net", "io", "dev", "app"]);

/** Whether the name before a `:port` is a host (dotted or localhost), so that host:port is one value. */
function isHostBeforePort(text: string, start: number, colon: number): boolean {
  for (let index = colon + 1; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (!isDigit(code)) {
      if (isTrailingPunctuation(code) || code <= 32) break;
      return false;
    }
  }
  const host = text.slice(start, colon);
  return host === "localhost" || host.includes(".");
}

/** A name such as orders_pkey, customer_id or exit-code: letters (at least one lower-case) with _ - . and no digit. */
function isIdentifier(codes: Uint8Array, start: number, end: number): boolean {
  if (end - start > 64) return false;
  let lowerCase = false;
  for (let index = start; index < end; index += 1) {
    const code = codes[index]!;
    if (code >= 97 && code <= 122) lowerCase = true;
    else if (!isLetter(code) && code !== 95 && code !== 45 && code !== 46) return false;
  }
  return lowerCase;
}

/** A key or user name: letters, digits, _ - . only, and not empty. */
function isName(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (!isLetter(code) && !isDigit(code) && code !== 95 && code !== 45 && code !== 46) return false;
  }
  return true;
}

/**
 * Replaces quoted values ('…', "…", `…`) with the wildcard so that spaces inside them do not
 * change the token count. Goes from quote to quote (one indexOf per kind of quote, kept until
 * passed) rather than through every character. `codes` are the text's (codesOf).
 */
function maskQuoted(text: string, codes: Uint8Array): string {
  let single = text.indexOf("'");
  let double = text.indexOf('"');
  let backtick = text.indexOf("`");
  if (single === -1 && double === -1 && backtick === -1) return text;
  const parts: string[] = [];
  let copied = 0;
  let from = 0;
  for (;;) {
    if (single !== -1 && single < from) single = text.indexOf("'", from);
    if (double !== -1 && double < from) double = text.indexOf('"', from);
    if (backtick !== -1 && backtick < from) backtick = text.indexOf("`", from);
    let index = single;
    if (double !== -1 && (index === -1 || double < index)) index = double;
    if (backtick !== -1 && (index === -1 || backtick < index)) index = backtick;
    if (index === -1) break;
    from = index + 1;
    const code = codes[index]!;
    // An apostrophe inside a word (don't, user's) is not a quote.
    const before = index > 0 ? codes[index - 1]! : 32;
    if (code === 39 && (isLetter(before) || isDigit(before))) continue;
    const close = text.indexOf(text[index]!, index + 1);
    if (close !== -1 && close > index + 1 && close - index - 1 <= MAX_QUOTED_LENGTH) {
      // A quoted name (a constraint, a column, a result) is part of the error; other values are masked.
      // After key= a quoted name is a field's value (comm="cupsd" profile="docker-default").
      if (!isIdentifier(codes, index + 1, close) || isHostName(codes, text, index + 1, close) || (index > 0 && codes[index - 1] === 61)) {
        parts.push(text.slice(copied, index + 1), WILDCARD);
        copied = close;
      }
      from = close + 1;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join("");
}

/**
 * Tokens with marks that were kept (class names above all: most headlines start with one), by a
 * slot computed from their length and three characters. Such a token is decided by its
 * characters alone, so one equal to the token in its slot is kept without the scans of
 * isVariableToken. Kept as copies, so that the slots hold no message.
 */
const MARKED_SLOTS = 1024;
const keptMarkedTokens: string[] = new Array<string>(MARKED_SLOTS).fill("");

const markedSlot = (codes: Uint8Array, start: number, end: number) =>
  ((end - start) * 977 + codes[start]! * 131 + codes[(start + end) >> 1]! * 31 + codes[end - 1]!) & (MARKED_SLOTS - 1);

/** The token text[start, end) when it is the one kept in its slot, else "". */
function keptMarkedToken(codes: Uint8Array, text: string, start: number, end: number): string {
  const kept = keptMarkedTokens[markedSlot(codes, start, end)]!;
  return kept.length === end - start && kept === text.slice(start, end) ? kept : "";
}

/** text[start, end), a token with marks that stays as it is, remembered in its slot. */
function keepMarkedToken(codes: Uint8Array, text: string, start: number, end: number): string {
  // A copy rather than a view of the message (a slice of 13 characters or more is one).
  const token = ` ${text.slice(start, end)}`.slice(1);
  keptMarkedTokens[markedSlot(codes, start, end)] = token;
  return token;
}

/**
 * The tokens of a message's headline with variables masked. Consecutive wildcards collapse into
 * one, so that a list of ids of any length is one token.
 */
export function tokenize(message: string): string[] {
  return tokenizeHeadline(headlineOf(message));
}

function tokenizeHeadline(headline: string): string[] {
  let codes = codesOf(headline);
  const text = maskQuoted(headline, codes);
  if (text !== headline) codes = codesOf(text);
  // The first masked quote at or after the current token; searched again only once passed.
  let maskAt = text.indexOf(WILDCARD);
  const tokens: string[] = [];
  let previousIsWildcard = false;
  // Where the last token pushed starts, and its value after its leading punctuation.
  let previousStart = 0;
  let previousFrom = 0;
  let hasCalendarWord = false;
  let start = 0;
  const length = text.length;
  while (start < length) {
    while (start < length && codes[start]! <= 32) start += 1;
    if (start >= length) break;
    let end = start;
    // Counted on the way (CHARACTER_COUNTS): most tokens are decided without another scan.
    let counts = 0;
    for (; end < length; end += 1) {
      const code = codes[end]!;
      if (code <= 32) break;
      counts += CHARACTER_COUNTS[code]!;
    }
    let from = start;
    let to = end;
    while (from < to && (CHARACTER_FLAGS[codes[from]!]! & LEADING) !== 0) from += 1;
    while (to > from && (CHARACTER_FLAGS[codes[to - 1]!]! & TRAILING) !== 0) {
      to -= 1;
      counts -= CHARACTER_COUNTS[codes[to]!]!;
    }
    const counted = end - start <= MAX_COUNTED_LENGTH;
    if (maskAt !== -1 && maskAt < start) maskAt = text.indexOf(WILDCARD, start);
    const containsMask = maskAt !== -1 && maskAt < end;
    let isWildcard = containsMask && to - from === WILDCARD.length && text.startsWith(WILDCARD, from);
    let token: string;
    const core = to - from;
    if (
      !hasCalendarWord &&
      core >= 3 &&
      core <= 9 &&
      (CHARACTER_FLAGS[codes[from]!]! & CALENDAR_INITIAL) !== 0 &&
      isCalendarPrefix(codes, from) &&
      CALENDAR_WORDS.has(text.slice(from, to))
    )
      hasCalendarWord = true;
    const withoutMarks = counted && marksOf(counts) === 0;
    // A token with marks (a class name, a URL, key=value) is decided by its characters alone (containsMask aside): one kept before is kept again.
    const marked = counted && !withoutMarks && from < to && !containsMask;
    if (counted && lettersOf(counts) === core && isPlainWord(codes, from, core)) {
      // What isVariableToken would say of letters alone, without its scan.
      token = text.slice(start, end);
    } else if (from === to && end - start === 2 && isEmptyPair(codes[start]!, codes[start + 1]!)) {
      // "()", "[]": a value that is empty here and present elsewhere ("connection from 10.0.0.1 (host.example.com)").
      isWildcard = true;
      token = WILDCARD;
      from = start;
      to = end;
    } else if (marked && (token = keptMarkedToken(codes, text, start, end)) !== "") {
      // Kept as it was the last time (the same string, so that the tree and the templates find it equal at once).
    } else if (
      from < to &&
      !containsMask &&
      (withoutMarks
        ? isValueWithoutMarks(codes, text, from, to, digitsOf(counts), hexLettersOf(counts), tokens.at(-1), true)
        : isVariableToken(codes, text, from, to, tokens.at(-1)))
    ) {
      // Without marks nothing of the token stays (maskedValue keeps only a key= or a Class@ before the value).
      const masked = withoutMarks ? WILDCARD : maskedValue(codes, text, from, to);
      isWildcard = masked === WILDCARD;
      token = from === start && to === end ? masked : `${text.slice(start, from)}${masked}${text.slice(to, end)}`;
    } else {
      token = marked ? keepMarkedToken(codes, text, start, end) : text.slice(start, end);
    }
    if (isWildcard && from > start && isDigit(codes[from]!) && isComparison(codes[from - 1]!)) {
      // "<1 sec", ">99 %": the comparison belongs to the value.
      from -= 1;
      token = `${text.slice(start, from)}${WILDCARD}${text.slice(to, end)}`;
    }
    if (
      previousIsWildcard &&
      !isWildcard &&
      from === start &&
      to - from <= 7 &&
      (CHARACTER_FLAGS[codes[from]!]! & UNIT_INITIAL) !== 0 &&
      UNIT_SHAPES.has(wordShape(codes, from, to)) &&
      UNITS.has(text.slice(from, to))
    ) {
      // A unit after a number is part of the value: "1.2 KB" and "384 B" are one value each.
      tokens[tokens.length - 1] = `${text.slice(previousStart, previousFrom)}${WILDCARD}${text.slice(to, end)}`;
    } else if (isWildcard && previousIsWildcard) {
      tokens[tokens.length - 1] = `${text.slice(previousStart, previousFrom)}${WILDCARD}${text.slice(to, end)}`;
    } else {
      previousIsWildcard = isWildcard;
      previousStart = start;
      previousFrom = from;
      tokens.push(token);
    }
    start = end;
  }
  if (hasCalendarWord) maskCalendarWords(tokens);
  // Only a message with at least MIN_KEY_VALUE_LIST "=" can hold a list.
  const first = text.indexOf("=");
  const second = first === -1 ? -1 : text.indexOf("=", first + 1);
  if (second !== -1 && text.indexOf("=", second + 1) !== -1) maskKeyValueLists(tokens);
  maskListedStatuses(tokens);
  return tokens.length > 0 ? tokens : ["<empty>"];
}

/** Consecutive key=value tokens that make a list of fields. */
const MIN_KEY_VALUE_LIST = 3;

/** Where the value of a key=value token starts (after the =), or -1. */
function keyValueSplit(token: string): number {
  const equals = token.indexOf("=");
  return equals > 0 && isName(token, 0, equals) ? equals + 1 : -1;
}

/**
 * In a list of key=value fields (`logname= uid=0 tty=ssh rhost=… user=alice`, `tag=…, name=com.example.app,
 * ws=null`) every value is a value, words included; a lone key=word (`error_code=card_expired`) names the error.
 */
function maskKeyValueLists(tokens: string[]): void {
  let runStart = 0;
  for (let index = 0; index <= tokens.length; index += 1) {
    if (index < tokens.length && keyValueSplit(tokens[index]!) !== -1) continue;
    if (index - runStart >= MIN_KEY_VALUE_LIST) {
      for (let member = runStart; member < index; member += 1) {
        const token = tokens[member]!;
        const valueStart = keyValueSplit(token);
        let valueEnd = token.length;
        while (valueEnd > valueStart && (token.charCodeAt(valueEnd - 1) === 44 || token.charCodeAt(valueEnd - 1) === 59)) valueEnd -= 1;
        if (valueEnd > valueStart && !hasOnlyWildcard(token.slice(valueStart)))
          tokens[member] = `${token.slice(0, valueStart)}${WILDCARD}${token.slice(valueEnd)}`;
      }
    }
    runStart = index + 1;
  }
}

/**
 * In a trailing list of `key: value` pairs (`status: 200 len: 1893 time: 0.24`) a status is one
 * field of a request record, not the error's identity: it is masked unless it ends the message
 * alone ("failed with statuscode: 503").
 */
function maskListedStatuses(tokens: string[]): void {
  let index = tokens.length;
  let pairs = 0;
  while (index >= 3) {
    const key = tokens[index - 2]!;
    const value = tokens[index - 1]!;
    if (key.charCodeAt(key.length - 1) !== 58) return; // :
    if (!hasOnlyWildcard(value)) {
      if (pairs === 0 || !STATUS_WORDS.has(key.toLowerCase()) || !/^[1-5]\d\d[,;]?$/.test(value)) return;
      tokens[index - 1] = `${WILDCARD}${value.slice(3)}`;
    }
    pairs += 1;
    index -= 2;
  }
}

/**
 * Where a message's trailing details begin: `key: <*>` pairs and `key=<*>` tokens at its end
 * (`, host: "<*>", referrer: "<*>"`, `rhost=<*> user=<*>`). Their keys are compared apart from the
 * rest, so that an optional last detail does not make another pattern. At least one token stays.
 */
function detailsStart(tokens: readonly string[]): number {
  let index = tokens.length;
  while (index > 1) {
    const last = tokens[index - 1]!;
    if (index > 2 && tokens[index - 2]!.charCodeAt(tokens[index - 2]!.length - 1) === 58 && hasOnlyWildcard(last))
      index -= 2; // key:
    else if (isKeyWithWildcard(last)) index -= 1;
    else break;
  }
  return index;
}

/** key=<*> with at most punctuation after it. */
function isKeyWithWildcard(token: string): boolean {
  const equals = token.indexOf("=");
  return equals > 0 && token.startsWith(WILDCARD, equals + 1) && isName(token, 0, equals) && hasOnlyWildcard(token.slice(equals + 1));
}

/**
 * Month and weekday names next to a masked day or time are part of a date ("Sun Jul 10 03:04:05
 * 2026", "Jul 10", "10 Jul"): they join the wildcard. Alone ("Mon" as a word) they stay.
 */
function maskCalendarWords(tokens: string[]): void {
  const core = (token: string) => token.replace(/^[([{]+|[)\]},;.:]+$/g, "");
  // Right to left, so that "Sun" sees "Jul" already masked in "Sun Jul 10".
  for (let index = tokens.length - 1; index >= 0; index -= 1) {
    const token = tokens[index]!;
    const word = core(token);
    if (!CALENDAR_WORDS.has(word)) continue;
    const next = tokens[index + 1];
    const previous = tokens[index - 1];
    if ((next !== undefined && isBareWildcard(next)) || (MONTH_NAMES.has(word) && previous !== undefined && isBareWildcard(previous)))
      tokens[index] = `${token.slice(0, token.indexOf(word))}${WILDCARD}${token.slice(token.indexOf(word) + word.length)}`;
  }
  // The date is one value: a run of bare wildcards becomes one, with the last one's punctuation.
  let kept = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (kept > 0 && isBareWildcard(token) && isBareWildcard(tokens[kept - 1]!)) tokens[kept - 1] = token;
    else tokens[kept++] = token;
  }
  tokens.length = kept;
}

/** A wildcard with at most trailing punctuation (not a key=<*> or a quoted value). */
function isBareWildcard(token: string): boolean {
  if (!token.startsWith(WILDCARD)) return false;
  for (let index = WILDCARD.length; index < token.length; index += 1) if (!isTrailingPunctuation(token.charCodeAt(index))) return false;
  return true;
}

/** A token that is a masked value, with or without quotes and punctuation around it. */
function hasOnlyWildcard(token: string): boolean {
  const at = token.indexOf(WILDCARD);
  if (at === -1) return false;
  for (let index = 0; index < token.length; index += 1) {
    if (index >= at && index < at + WILDCARD.length) continue;
    const code = token.charCodeAt(index);
    if (isLetter(code) || isDigit(code)) return false;
  }
  return true;
}

type Cluster = {
  /** Index in the miner's cluster list; merged clusters point at their survivor through `mergedInto`. */
  index: number;
  id: string;
  tokens: string[];
  count: number;
  examples: string[];
  mergedInto: number | null;
  /** Tokens before the trailing details (detailsStart): the part the tree and the similarity look at. */
  core: number;
  /** The tree leaf it sits in (core token count, then first token). */
  leaf: number[];
  /** Positions that continue the wildcard before them (a value of several words, joinByGap), left out of the template shown. */
  continued: Set<number> | null;
  /** The stretches joinByGap made a wildcard, by their first position, as first seen (their delimiters decide later joins). */
  stretches: Map<number, readonly string[]> | null;
};

/** The key of the sibling group of templates that differ only at `positions` (words there, the template's tokens elsewhere). */
function siblingKey(template: readonly string[], positions: readonly number[]): string {
  return `${positions.join(",")}|${template.map((token, index) => (positions.includes(index) ? WILDCARD : token)).join(" ")}`;
}

/** Tokens a template and a message of another length must share around their differing stretch (joinByGap). */
const MIN_GAP_CONSTANTS = 5;

/** The key of a template's or message's first and last core tokens. */
function endsKey(tokens: readonly string[], core: number): string {
  return `${tokens[0]!}\u0000${tokens[core - 1]!}`;
}

/** A token that is a code naming an error: a number kept as it is (a status), or letters and digits (ORA-00001). */
const isCode = (token: string) => /^\W*(?:\d+|[A-Z]{1,6}-?\d{2,6})\W*$/.test(token);

/**
 * Whether two stretches of tokens (their first and last tokens) are delimited alike: they open
 * with the same bracket or quote, or end with the same punctuation ("[Mail]" / "[Slack Helper]",
 * "WindowsUpdateAgent," / "DISM Package Manager Provider,").
 */
function sameDelimiters(shortFirst: string, shortLast: string, longFirst: string, longLast: string): boolean {
  const opening = shortFirst.charCodeAt(0);
  if (isLeadingPunctuation(opening) || opening === 34 || opening === 39) return opening === longFirst.charCodeAt(0);
  const closing = shortLast.charCodeAt(shortLast.length - 1);
  return isTrailingPunctuation(closing) && closing === longLast.charCodeAt(longLast.length - 1);
}

/** Whether some token holds a masked value. */
const hasValue = (tokens: readonly string[]) => tokens.some((token) => token.includes(WILDCARD));

/** Whether some token is a plain word (no masked value in it). */
const hasWord = (tokens: readonly string[]) => tokens.some((token) => !token.includes(WILDCARD));

/** Whether tokens[from, to) holds a code. */
function hasCode(tokens: readonly string[], from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (isCode(tokens[index]!)) return true;
  return false;
}

/** Templates that differ from each other in the same positions only, in plain words, and the combinations of words seen there. */
type SiblingGroup = { words: Set<string>; clusters: Set<number> };

export type MinedPattern = {
  id: string;
  template: string;
  count: number;
  examples: string[];
};

/** A stored pattern to continue from: its id stays, its template is the starting point. */
export type KnownPattern = { id: string; template: string };

export type PatternMiner = {
  /** Adds a message; returns its cluster's handle (resolve it with `patternOf` at the end, as clusters may merge). */
  add: (message: string) => number;
  /** The pattern a handle belongs to now. */
  patternOf: (handle: number) => MinedPattern;
  /** The pattern a message belongs to, without adding it: a template that fits it exactly, or null. */
  match: (message: string) => MinedPattern | null;
  /** Every pattern, most frequent first. */
  patterns: () => MinedPattern[];
  /** Number of live patterns. */
  size: () => number;
};

/**
 * How a position where a message differs from a template may be resolved: a masked value joins
 * (the position becomes a wildcard); a kept token with a digit (a status, an error code) names
 * the error and never joins; a word joins once it has proven to be a variable.
 */
function differenceKind(left: string, right: string): "value" | "identity" | "word" {
  const leftMasked = left.includes(WILDCARD);
  const rightMasked = right.includes(WILDCARD);
  if (leftMasked && rightMasked) return skeleton(left) === skeleton(right) ? "value" : "word";
  if (leftMasked || rightMasked) return "value";
  // "-" stands for a value that is absent (an access log's user, a referrer): another word there is a value.
  if (left === "-" || right === "-") return "value";
  return isCode(left) || isCode(right) ? "identity" : "word";
}

const isSkeletonCode = (code: number) => isLetter(code) || isDigit(code) || code === 60 || code === 42 || code === 62; // < * >

/** skeleton(left) === skeleton(right), without building either. */
function haveSameSkeleton(left: string, right: string): boolean {
  let at = 0;
  let other = 0;
  for (;;) {
    while (at < left.length && !isSkeletonCode(left.charCodeAt(at))) at += 1;
    while (other < right.length && !isSkeletonCode(right.charCodeAt(other))) other += 1;
    if (at === left.length || other === right.length) return at === left.length && other === right.length;
    if (left.charCodeAt(at) !== right.charCodeAt(other)) return false;
    at += 1;
    other += 1;
  }
}

/** The letters and digits of a token around its wildcard: StockItem#<*> and Order#<*> differ, "<*>" and <*> do not. */
function skeleton(token: string): string {
  return token.replace(/[^A-Za-z0-9<*>]/g, "");
}

/** The tree key of a first token: a masked value with punctuation after it ("<*>:") is the wildcard branch; a bracketed one ("[<*>]") keeps its own. */
function firstKey(tokens: readonly string[]): string {
  const first = tokens[0]!;
  return first.charCodeAt(0) === 60 && first !== WILDCARD && isBareWildcard(first) ? WILDCARD : first; // < as in <*>
}

/**
 * A large leaf's templates by their wildcard mask (the positions of their constant tokens,
 * joined), then by those tokens; `keys` holds each indexed template's two keys.
 */
type LeafIndex = {
  masks: Map<string, { positions: number[]; byConstants: Map<string, number[]> }>;
  keys: Map<number, { mask: string; constants: string }>;
};

/** A leaf of the tree: the clusters of one token count and one first key (firstKey). */
type Leaf = { key: string; clusters: number[] };

/** A leaf whose templates have more different sets of wildcard positions is searched, not looked up. */
const MAX_INDEXED_MASKS = 16;

/** A tree key as a small integer, for a bucket of leaves: its length and first, middle and last characters. */
function firstKeyCode(key: string): number {
  const length = key.length;
  return (((length * 31 + key.charCodeAt(0)) * 31 + key.charCodeAt(length >> 1)) * 31 + key.charCodeAt(length - 1)) & 0x3fffffff;
}

/**
 * An online pattern miner. Memory grows with the number of patterns (templates, counts and a
 * few examples each), never with the number of messages.
 */
export function createPatternMiner(options: Partial<PatternMinerOptions> = {}, known: readonly KnownPattern[] = []): PatternMiner {
  const settings = { ...defaultPatternMinerOptions, ...options };
  const clusters: Cluster[] = [];
  // The tree: token count → first key → clusters. A first token is mostly a long class name cut
  // from the message, which a Map keyed by strings would hash on every lookup: leaves are
  // bucketed by a number made of the key's length and three of its characters (firstKeyCode),
  // and a bucket's keys are compared as strings.
  const leaves = new Map<number, Map<number, Leaf[]>>();
  const findLeaf = (buckets: Map<number, Leaf[]>, key: string): Leaf | undefined => {
    const bucket = buckets.get(firstKeyCode(key));
    if (!bucket) return undefined;
    for (let index = 0; index < bucket.length; index += 1) if (bucket[index]!.key === key) return bucket[index];
    return undefined;
  };
  const leafOf = (tokens: readonly string[], core: number): number[] => {
    let buckets = leaves.get(core);
    if (!buckets) {
      buckets = new Map();
      leaves.set(core, buckets);
    }
    const key = firstKey(tokens);
    const leaf = findLeaf(buckets, key);
    if (leaf) return leaf.clusters;
    const created: Leaf = { key, clusters: [] };
    const code = firstKeyCode(key);
    const bucket = buckets.get(code);
    if (bucket) bucket.push(created);
    else buckets.set(code, [created]);
    return created.clusters;
  };
  const siblings = new Map<string, SiblingGroup>();
  // The result of findBest (kept outside it so that a search allocates nothing).
  let found: Cluster | null = null;
  let foundScore = -1;
  const scanLeaf = (leaf: number[] | undefined, tokens: readonly string[], core: number) => {
    if (!leaf) return;
    for (let position = 0; position < leaf.length; position += 1) {
      const cluster = clusters[leaf[position]!]!;
      if (cluster.tokens.length !== core && !detailsAgree(cluster.tokens, tokens, core)) continue;
      const score = similarityAbove(cluster.tokens, tokens, core, foundScore);
      if (score > foundScore) {
        found = cluster;
        foundScore = score;
        if (score === 1) {
          // A template that fits moves one place forward, so the frequent ones are found first.
          if (position > 0) {
            leaf[position] = leaf[position - 1]!;
            leaf[position - 1] = cluster.index;
          }
          return;
        }
      }
    }
  };
  // A platform's thousands of templates that differ in one name (a namespace, an app) share a
  // leaf, and a message fitting one of them would be compared with most of them. A large leaf
  // is indexed, by the positions of its templates' constant tokens (their wildcard mask), then
  // by those tokens, and the index follows every template that joins the leaf, leaves it or
  // changes (indexInLeaf, unindex).
  const leafIndexes = new Map<number[], LeafIndex>();
  const addToIndex = (index: LeafIndex, cluster: Cluster) => {
    const positions: number[] = [];
    for (let position = 0; position < cluster.core; position += 1) if (cluster.tokens[position] !== WILDCARD) positions.push(position);
    const mask = positions.join(",");
    let entry = index.masks.get(mask);
    if (!entry) index.masks.set(mask, (entry = { positions, byConstants: new Map() }));
    const constants = positions.map((position) => cluster.tokens[position]!).join("\n");
    const same = entry.byConstants.get(constants);
    if (same) same.push(cluster.index);
    else entry.byConstants.set(constants, [cluster.index]);
    index.keys.set(cluster.index, { mask, constants });
  };
  /** Adds a template to its leaf's index, if the leaf has one (call after it joined the leaf or changed). */
  const indexInLeaf = (cluster: Cluster) => {
    const index = leafIndexes.get(cluster.leaf);
    if (index) addToIndex(index, cluster);
  };
  /** Takes a template out of its leaf's index, by the keys it was indexed under (call before it leaves the leaf or changes). */
  const unindex = (cluster: Cluster) => {
    const index = leafIndexes.get(cluster.leaf);
    const key = index?.keys.get(cluster.index);
    if (!index || !key) return;
    index.keys.delete(cluster.index);
    const entry = index.masks.get(key.mask)!;
    const same = entry.byConstants.get(key.constants)!;
    same.splice(same.indexOf(cluster.index), 1);
    if (same.length === 0) entry.byConstants.delete(key.constants);
    if (entry.byConstants.size === 0) index.masks.delete(key.mask);
  };
  const indexOfLeaf = (leaf: number[]): LeafIndex => {
    let index = leafIndexes.get(leaf);
    if (!index) {
      index = { masks: new Map(), keys: new Map() };
      for (const member of leaf) addToIndex(index, clusters[member]!);
      leafIndexes.set(leaf, index);
    }
    return index;
  };
  /**
   * scanLeaf's exact fit through the leaf's index: the fitting template that comes first in the
   * leaf, moved one place forward as scanLeaf moves it. Leaves `found` null when nothing fits
   * exactly, or when the leaf has too many masks to be looked up.
   */
  const lookUpLeaf = (leaf: number[], tokens: readonly string[], core: number): void => {
    const index = indexOfLeaf(leaf);
    if (index.masks.size > MAX_INDEXED_MASKS) return;
    let first = -1;
    for (const { positions, byConstants } of index.masks.values()) {
      const candidates = byConstants.get(positions.map((position) => tokens[position]!).join("\n"));
      if (!candidates) continue;
      for (const candidate of candidates) {
        const cluster = clusters[candidate]!;
        if (cluster.tokens.length !== core && !detailsAgree(cluster.tokens, tokens, core)) continue;
        if (similarityAbove(cluster.tokens, tokens, core, -1) !== 1) continue;
        const position = leaf.indexOf(candidate);
        if (position >= 0 && (first < 0 || position < first)) first = position;
      }
    }
    if (first < 0) return;
    const cluster = clusters[leaf[first]!]!;
    found = cluster;
    foundScore = 1;
    if (first > 0) {
      leaf[first] = leaf[first - 1]!;
      leaf[first - 1] = cluster.index;
    }
  };
  /** The most similar template of a message's leaf, then of the leaf with a wildcard first (merged first words); an exact fit ends the search. */
  const findBest = (tokens: string[], core: number) => {
    found = null;
    foundScore = -1;
    const buckets = leaves.get(core);
    if (!buckets) return;
    const first = firstKey(tokens);
    const leaf = findLeaf(buckets, first);
    if (leaf) {
      // The leaf's key is the same text: taking it, the template's first token is found equal at once (the same string).
      if (first === tokens[0]) tokens[0] = leaf.key;
      if (leaf.clusters.length >= settings.indexLeavesFrom) lookUpLeaf(leaf.clusters, tokens, core);
      // Without an exact fit (or an index) the whole leaf is searched for the most similar template.
      if (foundScore < 1) scanLeaf(leaf.clusters, tokens, core);
    }
    if (foundScore < 1 && first !== WILDCARD) scanLeaf(findLeaf(buckets, WILDCARD)?.clusters, tokens, core);
  };
  const usedIds = new Set<string>();
  /** Templates as first created (no trailing details), and the same with an optional ending cut off, for joinByOptionalEnding. */
  const byTemplate = new Map<string, number>();
  const byShortened = new Map<string, number>();
  /** Templates by their first and last core tokens, for joinByGap. */
  const byEnds = new Map<string, number[]>();

  const live = (index: number): Cluster => {
    let cluster = clusters[index]!;
    while (cluster.mergedInto !== null) cluster = clusters[cluster.mergedInto]!;
    return cluster;
  };

  const newCluster = (tokens: string[], id?: string): Cluster => {
    let clusterId = id ?? stableHash(tokens.join(" "));
    // Two templates with one first form (possible after merges and refinements) keep distinct ids.
    for (let salt = 1; usedIds.has(clusterId); salt += 1) clusterId = stableHash(`${tokens.join(" ")}#${salt}`);
    usedIds.add(clusterId);
    const core = detailsStart(tokens);
    const leaf = leafOf(tokens, core);
    const cluster: Cluster = {
      index: clusters.length,
      id: clusterId,
      tokens,
      count: 0,
      examples: [],
      mergedInto: null,
      core,
      leaf,
      continued: null,
      stretches: null,
    };
    clusters.push(cluster);
    leaf.push(cluster.index);
    indexInLeaf(cluster);
    if (core >= MIN_GAP_CONSTANTS) {
      const key = endsKey(tokens, core);
      const sameEnds = byEnds.get(key);
      if (sameEnds) sameEnds.push(cluster.index);
      else byEnds.set(key, [cluster.index]);
    }
    if (core === tokens.length && core - MAX_OPTIONAL_ENDING >= MIN_TOKENS_BEFORE_OPTIONAL) {
      byTemplate.set(tokens.join(" "), cluster.index);
      let endingHasValue = false;
      for (let length = core - 1; length >= core - MAX_OPTIONAL_ENDING; length -= 1) {
        endingHasValue ||= tokens[length]!.includes(WILDCARD);
        if (endingHasValue) byShortened.set(tokens.slice(0, length).join(" "), cluster.index);
      }
    }
    return cluster;
  };

  /** Another form of a pattern's template (with or without an optional ending): found in the tree, it stands for its target. */
  const addForm = (tokens: string[], target: Cluster) => {
    const core = detailsStart(tokens);
    const leaf = leafOf(tokens, core);
    const form: Cluster = {
      index: clusters.length,
      id: target.id,
      tokens,
      count: 0,
      examples: [],
      mergedInto: target.index,
      core,
      leaf,
      continued: null,
      stretches: null,
    };
    clusters.push(form);
    leaf.push(form.index);
    indexInLeaf(form);
  };

  /**
   * One event logged with an optional ending ("… detected and corrected" and "… detected and
   * corrected over 120 seconds"): a message that is a known template plus a short ending with a
   * value, or a known template without such an ending, joins that template.
   */
  const joinByOptionalEnding = (tokens: string[], core: number, headline: string): number | null => {
    if (core !== tokens.length || core < MIN_TOKENS_BEFORE_OPTIONAL) return null;
    let target: number | undefined = byShortened.get(tokens.join(" "));
    let endingHasValue = false;
    for (let length = core - 1; target === undefined && length >= core - MAX_OPTIONAL_ENDING && length >= MIN_TOKENS_BEFORE_OPTIONAL; length -= 1) {
      endingHasValue ||= tokens[length]!.includes(WILDCARD);
      if (endingHasValue) target = byTemplate.get(tokens.slice(0, length).join(" "));
    }
    if (target === undefined) return null;
    const survivor = live(target);
    addForm(tokens, survivor);
    record(survivor, headline);
    return survivor.index;
  };

  /**
   * One event with a value of several words, or a clause present in some lines ("client
   * WindowsUpdateAgent," / "client DISM Package Manager Provider,", "Insufficient cpu." /
   * "Insufficient cpu, <*> Insufficient memory."): a message that starts and ends like a template
   * of another length, differing only in one stretch of words in between, joins it when what they
   * share is most of both and the stretch holds no code (a status or an error code names an
   * error). The template's stretch shows as one wildcard; the message's form finds it from then on.
   */
  const joinByGap = (tokens: string[], core: number, headline: string): number | null => {
    if (core < MIN_GAP_CONSTANTS) return null;
    const candidates = byEnds.get(endsKey(tokens, core));
    if (!candidates) return null;
    for (const candidate of candidates) {
      const target = live(candidate);
      const template = target.tokens;
      const length = target.core;
      if (length === core) continue;
      let prefix = 0;
      while (prefix < length && prefix < core && template[prefix] === tokens[prefix]) prefix += 1;
      let suffix = 0;
      while (suffix < length - prefix && suffix < core - prefix && template[length - 1 - suffix] === tokens[core - 1 - suffix]) suffix += 1;
      const shared = prefix + suffix;
      if (shared < MIN_GAP_CONSTANTS || shared * 3 < Math.max(length, core) * 2) continue;
      if (hasCode(template, prefix, length - suffix) || hasCode(tokens, prefix, core - suffix)) continue;
      // The template's stretch as it was first seen, when an earlier join made it a wildcard.
      const seen = target.stretches?.get(prefix);
      const templateStretch: readonly string[] = seen ?? template.slice(prefix, length - suffix);
      const messageStretch = tokens.slice(prefix, core - suffix);
      const [short, long] = templateStretch.length < messageStretch.length ? [templateStretch, messageStretch] : [messageStretch, templateStretch];
      // Words put before a value ("for <*>" / "for invalid user <*>") qualify it: another event.
      if (hasValue(short) && hasWord(long)) continue;
      // A value of several words is told by its delimiters: both stretches open with the same bracket or end with the same punctuation.
      if (short.length === 0 || !sameDelimiters(short[0]!, short.at(-1)!, long[0]!, long.at(-1)!)) continue;
      if (length - suffix > prefix) {
        // The template's stretch becomes one wildcard (its later positions hidden in the template shown).
        target.continued ??= new Set();
        target.stretches ??= new Map();
        if (!target.stretches.has(prefix)) target.stretches.set(prefix, templateStretch);
        unindex(target);
        for (let index = prefix; index < length - suffix; index += 1) {
          target.tokens[index] = WILDCARD;
          if (index > prefix) target.continued.add(index);
        }
        indexInLeaf(target);
      }
      const form = [...tokens];
      for (let index = prefix; index < core - suffix; index += 1) form[index] = WILDCARD;
      addForm(form, target);
      record(target, headline);
      return target.index;
    }
    return null;
  };

  for (const pattern of known) newCluster(pattern.template.split(" "), pattern.id);

  /**
   * The share of a template's constant tokens a message matches (a template wildcard matches
   * anything; 1 for an exact fit) when it is above `floor`, else -1, stopping at the first
   * difference that keeps it from getting there: with `misses` differences it is at most (core − misses) ÷ core (the
   * template has at most `core` constants), and that bound, rounded, is never below the score.
   */
  const similarityAbove = (template: readonly string[], tokens: readonly string[], core: number, floor: number): number => {
    let same = 0;
    let constants = 0;
    let misses = 0;
    for (let index = 0; index < core; index += 1) {
      const expected = template[index]!;
      if (expected === WILDCARD) continue;
      constants += 1;
      if (expected === tokens[index]) same += 1;
      else if ((core - ++misses) / core <= floor) return -1;
    }
    return constants === 0 ? 1 : same / constants;
  };

  /** Whether two lists of trailing details agree: one is the other with more details after it. */
  const detailsAgree = (template: readonly string[], tokens: readonly string[], core: number): boolean => {
    const shared = Math.min(template.length, tokens.length);
    for (let index = core; index < shared; index += 1) {
      if (template[index] !== tokens[index] && !haveSameSkeleton(template[index]!, tokens[index]!)) return false;
    }
    return true;
  };

  /** A cluster's template takes the longer list of details when a message brings more. */
  const extendDetails = (cluster: Cluster, tokens: string[]) => {
    if (tokens.length > cluster.tokens.length) cluster.tokens = [...cluster.tokens.slice(0, cluster.core), ...tokens.slice(cluster.core)];
  };

  const differingPositions = (template: readonly string[], tokens: readonly string[], core: number): number[] => {
    const differing: number[] = [];
    for (let index = 0; index < core; index += 1) if (template[index] !== WILDCARD && template[index] !== tokens[index]) differing.push(index);
    return differing;
  };

  const record = (cluster: Cluster, headline: string) => {
    cluster.count += 1;
    if (cluster.examples.length < settings.maxExamples && !cluster.examples.includes(headline)) cluster.examples.push(headline);
  };

  const merge = (group: SiblingGroup, positions: readonly number[]) => {
    const members = [...group.clusters].map(live).filter((cluster, index, all) => all.findIndex((other) => other.index === cluster.index) === index);
    members.sort((left, right) => left.index - right.index);
    const survivor = members[0]!;
    unindex(survivor);
    survivor.tokens = survivor.tokens.map((token, index) => (positions.includes(index) ? WILDCARD : token));
    if (positions.includes(0)) {
      // A template whose first token became a wildcard moves to the wildcard branch of the tree, where every first token finds it.
      survivor.leaf.splice(survivor.leaf.indexOf(survivor.index), 1);
      survivor.leaf = leafOf(survivor.tokens, survivor.core);
      survivor.leaf.push(survivor.index);
    }
    indexInLeaf(survivor);
    for (const other of members.slice(1)) {
      other.mergedInto = survivor.index;
      survivor.count += other.count;
      for (const example of other.examples)
        if (survivor.examples.length < settings.maxExamples && !survivor.examples.includes(example)) survivor.examples.push(example);
      unindex(other);
      other.leaf.splice(other.leaf.indexOf(other.index), 1);
    }
    group.clusters = new Set([survivor.index]);
  };

  const add = (message: string): number => {
    const headline = headlineOf(message);
    const tokens = tokenizeHeadline(headline);
    const core = detailsStart(tokens);
    findBest(tokens, core);
    const best: Cluster | null = found;
    const bestScore = foundScore;
    if (best && bestScore === 1) {
      extendDetails(best, tokens);
      const target = live(best.index);
      record(target, headline);
      return target.index;
    }
    if (best && bestScore >= settings.similarityThreshold) {
      const bestDiffering = differingPositions(best.tokens, tokens, core);
      // Differing words are kept apart (refused / reset) until they prove to be variables.
      const kinds = bestDiffering.map((index) => (settings.joinAnyDifference ? "value" : differenceKind(best.tokens[index]!, tokens[index]!)));
      const words = bestDiffering.filter((_, position) => kinds[position] === "word");
      if (kinds.includes("identity")) return addFirstWordSibling(tokens, core, headline);
      if (words.length === 0) {
        extendDetails(best, tokens);
        unindex(best);
        best.tokens = best.tokens.map((token, index) => (bestDiffering.includes(index) ? WILDCARD : token));
        indexInLeaf(best);
        const joined = bestDiffering[0] === 0 ? joinFirstWordSiblings(best) : live(best.index);
        record(joined, headline);
        return joined.index;
      }
      if (words.length === bestDiffering.length && words.length <= MAX_SIBLING_POSITIONS) {
        // Siblings: templates that differ from each other in the same few positions, in words only.
        let positions: readonly number[] = words;
        let group = siblings.get(siblingKey(best.tokens, positions));
        if (!group && words.length === 1 && words[0]! > 0 && !best.tokens[words[0]!]!.includes("=") && !tokens[words[0]!]!.includes("=")) {
          // A word that varies together with another one (from NEW to SCHEDULED, from RUNNING to RUNNING): the pair's group takes it.
          for (let other = 1; other < core && !group; other += 1) {
            // A key=word names the error (error_code=card_expired): it never varies as a pair.
            if (other === words[0] || best.tokens[other] === WILDCARD || best.tokens[other]!.includes("=")) continue;
            const pair = other < words[0]! ? [other, words[0]!] : [words[0]!, other];
            group = siblings.get(siblingKey(best.tokens, pair));
            if (group) positions = pair;
          }
        }
        const combination = (from: readonly string[]) => positions.map((index) => from[index]!).join(" ");
        if (!group) {
          group = { words: new Set([combination(best.tokens)]), clusters: new Set([best.index]) };
          if (positions.length === 2 && positions[0]! > 0 && !positions.some((index) => best.tokens[index]!.includes("=") || tokens[index]!.includes("="))) {
            // Templates that differed at one of the two positions from this one, or from those, join the pair's group.
            const reached = [best];
            for (let next = 0; next < reached.length; next += 1) {
              for (const single of positions) {
                const earlier = siblings.get(siblingKey(reached[next]!.tokens, [single]));
                if (!earlier) continue;
                for (const member of earlier.clusters) {
                  const sibling = live(member);
                  if (group.clusters.has(sibling.index) || sibling.tokens.length !== best.tokens.length) continue;
                  group.clusters.add(sibling.index);
                  group.words.add(combination(sibling.tokens));
                  reached.push(sibling);
                }
              }
            }
          }
          siblings.set(siblingKey(best.tokens, positions), group);
        }
        group.clusters.add(best.index);
        group.words.add(combination(tokens));
        if (group.words.size >= settings.distinctWordsForVariable) {
          merge(group, positions);
          const survivor = live(best.index);
          record(survivor, headline);
          return survivor.index;
        }
        const added = addFirstWordSibling(tokens, core, headline);
        // A new template joins the group; one that joined a template merged by its first word leaves it as it is.
        if (added === clusters.length - 1 && clusters[added]!.count === 1) group.clusters.add(added);
        return added;
      }
    }
    return joinByOptionalEnding(tokens, core, headline) ?? joinByGap(tokens, core, headline) ?? addFirstWordSibling(tokens, core, headline);
  };

  /** A template whose first token has just become a wildcard takes in the templates that differ from it only in their first word. */
  const joinFirstWordSiblings = (cluster: Cluster): Cluster => {
    const group = siblings.get(`0|${cluster.tokens.join(" ")}`);
    if (!group) return cluster;
    group.clusters.add(cluster.index);
    merge(group, [0]);
    return live(cluster.index);
  };

  /**
   * The tree is keyed by the first token, so templates that differ only there (a unit, a daemon,
   * a host name first) never meet in a leaf: they are grouped by the rest of their tokens, and
   * once the first position has shown several words they merge like any other siblings.
   */
  const addFirstWordSibling = (tokens: string[], core: number, headline: string): number => {
    const first = tokens[0]!;
    if (core < 2 || first.includes(WILDCARD)) {
      const created = newCluster(tokens);
      record(created, headline);
      return created.index;
    }
    const key = `0|${WILDCARD} ${tokens.slice(1).join(" ")}`;
    const group = siblings.get(key);
    if (group && group.words.size + (group.words.has(first) ? 0 : 1) >= settings.distinctWordsForVariable) {
      group.words.add(first);
      merge(group, [0]);
      const survivor = live([...group.clusters][0]!);
      record(survivor, headline);
      return survivor.index;
    }
    const created = newCluster(tokens);
    if (group) {
      group.words.add(first);
      group.clusters.add(created.index);
    } else siblings.set(key, { words: new Set([first]), clusters: new Set([created.index]) });
    record(created, headline);
    return created.index;
  };

  const describe = (cluster: Cluster): MinedPattern => ({
    id: cluster.id,
    template: cluster.continued === null ? cluster.tokens.join(" ") : cluster.tokens.filter((_, index) => !cluster.continued!.has(index)).join(" "),
    count: cluster.count,
    examples: [...cluster.examples],
  });

  const match = (message: string): MinedPattern | null => {
    const tokens = tokenize(message);
    const core = detailsStart(tokens);
    findBest(tokens, core);
    const best: Cluster | null = found;
    return best !== null && foundScore === 1 ? describe(live(best.index)) : null;
  };

  return {
    add,
    match,
    patternOf: (handle) => describe(live(handle)),
    patterns: () =>
      clusters
        .filter((cluster) => cluster.mergedInto === null && cluster.count > 0)
        .sort((left, right) => right.count - left.count || left.index - right.index)
        .map(describe),
    size: () => clusters.filter((cluster) => cluster.mergedInto === null).length,
  };
}
