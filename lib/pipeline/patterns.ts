/**
 * Error patterns: one logical error is one pattern. Messages are cut to their headline,
 * tokenised on whitespace with the variable tokens (ids, numbers, addresses, times, quoted
 * values …) masked as `<*>`, and clustered online in the spirit of Drain: a tree keyed by token
 * count and first token leads to a few candidate templates, and a message joins the most similar
 * one when the tokens that differ look variable. A plain word that differs (refused / reset)
 * starts a template of its own; only when one position has shown several different words across
 * otherwise identical templates is it taken as a variable (user names, table names …) and
 * those templates merge. Each pattern keeps the id it was born with (a hash of its first
 * template), however its template is refined later.
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
};

export const defaultPatternMinerOptions: PatternMinerOptions = {
  similarityThreshold: 0.5,
  distinctWordsForVariable: 3,
  maxExamples: 3,
  joinAnyDifference: false,
};

const MAX_HEADLINE_LENGTH = 2000;
const MAX_QUOTED_LENGTH = 200;
const PYTHON_TRACEBACK = "Traceback (most recent call last):";

/** The line that says what went wrong: the first (stack frames follow), or the last of a Python traceback. */
export function headlineOf(message: string): string {
  const newline = message.indexOf("\n");
  let headline = message;
  if (newline !== -1) {
    const first = message.slice(0, newline);
    if (first.includes(PYTHON_TRACEBACK) && first.trim() === PYTHON_TRACEBACK) {
      const lines = message.split("\n").filter((line) => line.trim() !== "");
      headline = lines.at(-1) ?? first;
    } else {
      headline = first;
    }
  }
  return headline.length > MAX_HEADLINE_LENGTH ? headline.slice(0, MAX_HEADLINE_LENGTH) : headline;
}

const CODE_0 = 48;
const CODE_9 = 57;
const isDigit = (code: number) => code >= CODE_0 && code <= CODE_9;
const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
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

/** HTTP methods are request details, not part of an error's identity. */
const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** Error codes whose number names the error (ORA-00001, ERR_…, SQLSTATE 23505, errno). */
const ERROR_CODE = /^(?:ORA|PLS|TNS|SQL|ERR|AADSTS|E|HTTP)-?\d{2,6}:?$/;

function isStatusCode(token: string, start: number): boolean {
  const first = token.charCodeAt(start);
  return first >= 49 && first <= 53; // 1xx … 5xx
}

/**
 * Whether a token that contains a digit is an identifier rather than a value: a word with a
 * short numeric part (OAuth2, S3Exception, log4j, utf8, Http2), not an id (x2k4j, user123, a1b2c3).
 */
function isIdentifierWithDigits(token: string, start: number, end: number, digits: number): boolean {
  const length = end - start;
  if (length < 4 || !isLetter(token.charCodeAt(start))) return false;
  if (digits * 4 > length) return false;
  for (let index = start; index < end; index += 1) {
    const code = token.charCodeAt(index);
    if (!isLetter(code) && !isDigit(code) && code !== 95) return false;
  }
  // Digits in one run only (Http2Exception), not interleaved (k8s8x).
  let runs = 0;
  for (let index = start; index < end; index += 1) {
    if (isDigit(token.charCodeAt(index)) && !isDigit(token.charCodeAt(index - 1))) runs += 1;
  }
  return runs === 1;
}

/**
 * Whether a token (without its wrapping punctuation) is a variable value: contains a digit (and
 * is not an identifier or a status code), or is a long hex string, an address, a URL, an e-mail.
 */
function isVariableToken(text: string, start: number, end: number, previous: string | undefined): boolean {
  let digits = 0;
  let hexLetters = 0;
  let at = -1;
  let dotAfterAt = false;
  let hasSlash = false;
  let equals = -1;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (isDigit(code)) digits += 1;
    else if (isHexLetter(code)) hexLetters += 1;
    else if (code === 64) {
      if (at === -1) at = index;
    } else if (code === 46) {
      if (at !== -1) dotAfterAt = true;
    } else if (code === 47) hasSlash = true;
    else if (code === 61) {
      if (equals === -1) equals = index;
    } else if (code === 58 && text.charCodeAt(index + 1) === 47 && text.charCodeAt(index + 2) === 47 && index + 2 < end) return true; // a URL
  }
  const length = end - start;
  if (equals > start && equals < end - 1 && isName(text, start, equals)) {
    // key=value: the key stays, the value decides.
    return isVariableToken(text, equals + 1, end, undefined);
  }
  // Paths (/api/orders/17/items) and user@host pairs are request details.
  if (hasSlash && text.charCodeAt(start) === 47 && length > 1 && text.lastIndexOf("/", end - 1) > start) return true;
  if (digits === 0) {
    if (at !== -1) return dotAfterAt || (isName(text, start, at) && isName(text, at + 1, end)); // e-mail, user@host
    const first = text.charCodeAt(start);
    if (length >= 3 && length <= 7 && first >= 65 && first <= 90 && HTTP_METHODS.has(text.slice(start, end))) return true;
    return length >= 12 && hexLetters === length; // e.g. deadbeefcafe… ids without digits
  }
  if (digits === length && length === 3 && previous !== undefined && isStatusCode(text, start)) {
    // A status after a status word, or after the quoted request of an access log line.
    if (STATUS_WORDS.has(previous.toLowerCase()) || previous === `"${WILDCARD}"`) return false;
  }
  if (isLetter(text.charCodeAt(start)) && ERROR_CODE.test(text.slice(start, end))) return false;
  if (!hasSlash && at === -1 && isIdentifierWithDigits(text, start, end, digits)) return false;
  return true;
}

/**
 * The mask of a variable token: the key of key=value and the class of an object id stay
 * (timeout=<*>, com.acme.Order@<*>); anything else becomes the wildcard.
 */
function maskedValue(text: string, start: number, end: number): string {
  const url = text.indexOf("://", start);
  if (url !== -1 && url < end) return WILDCARD;
  const equals = text.indexOf("=", start);
  if (equals > start && equals < end - 1 && isName(text, start, equals)) return `${text.slice(start, equals + 1)}${WILDCARD}`;
  // A name before an id stays: com.acme.Order@1a2b, [com.acme.StockItem#8812], ClientConnectionId:5f…
  for (let index = start; index < end - 1; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 64 || code === 35 || code === 58) {
      // After @ only an object id (with a digit) keeps the class; user@host is a value as a whole.
      let hasDigit = false;
      let hasDot = false;
      for (let after = index + 1; after < end; after += 1) {
        const next = text.charCodeAt(after);
        if (isDigit(next)) hasDigit = true;
        else if (next === 46) hasDot = true;
      }
      if (index > start + 1 && (code !== 64 || hasDigit) && !hasDot) return `${text.slice(start, index + 1)}${WILDCARD}`;
      break;
    }
    if (!isLetter(code) && code !== 46 && code !== 95 && code !== 36) break;
  }
  return WILDCARD;
}

/** A name such as orders_pkey, customer_id or exit-code: letters (at least one lower-case) with _ - . and no digit. */
function isIdentifier(text: string, start: number, end: number): boolean {
  if (end - start > 64) return false;
  let lowerCase = false;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
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

/** Replaces quoted values ('…', "…", `…`) with the wildcard so that spaces inside them do not change the token count. */
function maskQuoted(text: string): string {
  if (text.indexOf("'") === -1 && text.indexOf('"') === -1 && text.indexOf("`") === -1) return text;
  const parts: string[] = [];
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code !== 39 && code !== 34 && code !== 96) {
      index += 1;
      continue;
    }
    // An apostrophe inside a word (don't, user's) is not a quote.
    const before = index > 0 ? text.charCodeAt(index - 1) : 32;
    if (code === 39 && (isLetter(before) || isDigit(before))) {
      index += 1;
      continue;
    }
    const close = text.indexOf(text[index]!, index + 1);
    if (close !== -1 && close > index + 1 && close - index - 1 <= MAX_QUOTED_LENGTH) {
      // A quoted name (a constraint, a column, a result) is part of the error; other values are masked.
      if (!isIdentifier(text, index + 1, close)) {
        parts.push(text.slice(copied, index + 1), WILDCARD);
        copied = close;
      }
      index = close + 1;
      continue;
    }
    index += 1;
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

/**
 * The tokens of a message's headline with variables masked. Consecutive wildcards collapse into
 * one, so that a list of ids of any length is one token.
 */
export function tokenize(message: string): string[] {
  const text = maskQuoted(headlineOf(message));
  const hasMaskedQuotes = text.indexOf(WILDCARD) !== -1;
  const tokens: string[] = [];
  let previousIsWildcard = false;
  let previousLead = "";
  let start = 0;
  const length = text.length;
  while (start < length) {
    while (start < length && text.charCodeAt(start) <= 32) start += 1;
    if (start >= length) break;
    let end = start;
    while (end < length && text.charCodeAt(end) > 32) end += 1;
    let from = start;
    let to = end;
    while (from < to && isLeadingPunctuation(text.charCodeAt(from))) from += 1;
    while (to > from && isTrailingPunctuation(text.charCodeAt(to - 1))) to -= 1;
    const maskAt = hasMaskedQuotes ? text.indexOf(WILDCARD, start) : -1;
    const containsMask = maskAt !== -1 && maskAt < end;
    let isWildcard = containsMask && to - from === WILDCARD.length && text.startsWith(WILDCARD, from);
    let token: string;
    if (from < to && !containsMask && isVariableToken(text, from, to, tokens.length > 0 ? tokens[tokens.length - 1] : undefined)) {
      const masked = maskedValue(text, from, to);
      isWildcard = masked === WILDCARD;
      token = `${text.slice(start, from)}${masked}${text.slice(to, end)}`;
    } else {
      token = text.slice(start, end);
    }
    if (isWildcard && previousIsWildcard) {
      tokens[tokens.length - 1] = `${previousLead}${WILDCARD}${text.slice(to, end)}`;
    } else {
      previousIsWildcard = isWildcard;
      previousLead = text.slice(start, from);
      tokens.push(token);
    }
    start = end;
  }
  // Optional trailing details (", referrer: \"…\"") do not make another pattern.
  let trimmed = false;
  while (tokens.length > 2 && tokens[tokens.length - 2]!.endsWith(":") && hasOnlyWildcard(tokens[tokens.length - 1]!)) {
    tokens.length -= 2;
    trimmed = true;
  }
  if (trimmed) tokens[tokens.length - 1] = tokens[tokens.length - 1]!.replace(/[,;]$/, "");
  return tokens.length > 0 ? tokens : ["<empty>"];
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
  /** The tree leaf it sits in (token count, then first token). */
  leaf: number[];
};

/** Templates that differ from each other at one position only, in plain words, and the words seen there. */
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
  const isCode = (token: string) => /^\W*(?:\d+|[A-Z]{1,6}-?\d{2,6})\W*$/.test(token);
  return isCode(left) || isCode(right) ? "identity" : "word";
}

/** The letters and digits of a token around its wildcard: StockItem#<*> and Order#<*> differ, "<*>" and <*> do not. */
function skeleton(token: string): string {
  return token.replace(/[^A-Za-z0-9<*>]/g, "");
}

/**
 * An online pattern miner. Memory grows with the number of patterns (templates, counts and a
 * few examples each), never with the number of messages.
 */
export function createPatternMiner(options: Partial<PatternMinerOptions> = {}, known: readonly KnownPattern[] = []): PatternMiner {
  const settings = { ...defaultPatternMinerOptions, ...options };
  const clusters: Cluster[] = [];
  // The tree: token count → first token → clusters.
  const leaves = new Map<number, Map<string, number[]>>();
  const leafOf = (tokens: readonly string[], create: boolean): number[] | undefined => {
    let byFirst = leaves.get(tokens.length);
    if (!byFirst) {
      if (!create) return undefined;
      byFirst = new Map();
      leaves.set(tokens.length, byFirst);
    }
    let leaf = byFirst.get(tokens[0]!);
    if (!leaf && create) {
      leaf = [];
      byFirst.set(tokens[0]!, leaf);
    }
    return leaf;
  };
  const siblings = new Map<string, SiblingGroup>();
  const usedIds = new Set<string>();

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
    const leaf = leafOf(tokens, true)!;
    const cluster: Cluster = { index: clusters.length, id: clusterId, tokens, count: 0, examples: [], mergedInto: null, leaf };
    clusters.push(cluster);
    leaf.push(cluster.index);
    return cluster;
  };

  for (const pattern of known) newCluster(pattern.template.split(" "), pattern.id);

  /** Share of a template's constant tokens a message matches (a template wildcard matches anything); 1 for an exact fit. */
  const similarity = (template: readonly string[], tokens: readonly string[]): number => {
    let same = 0;
    let constants = 0;
    for (let index = 0; index < tokens.length; index += 1) {
      const expected = template[index]!;
      if (expected === WILDCARD) continue;
      constants += 1;
      if (expected === tokens[index]) same += 1;
    }
    return constants === 0 ? 1 : same / constants;
  };

  const differingPositions = (template: readonly string[], tokens: readonly string[]): number[] => {
    const differing: number[] = [];
    for (let index = 0; index < tokens.length; index += 1) if (template[index] !== WILDCARD && template[index] !== tokens[index]) differing.push(index);
    return differing;
  };

  const record = (cluster: Cluster, message: string) => {
    cluster.count += 1;
    if (cluster.examples.length < settings.maxExamples) {
      const headline = headlineOf(message);
      if (!cluster.examples.includes(headline)) cluster.examples.push(headline);
    }
  };

  const merge = (group: SiblingGroup, position: number) => {
    const members = [...group.clusters].map(live).filter((cluster, index, all) => all.findIndex((other) => other.index === cluster.index) === index);
    members.sort((left, right) => left.index - right.index);
    const survivor = members[0]!;
    survivor.tokens = survivor.tokens.map((token, index) => (index === position ? WILDCARD : token));
    for (const other of members.slice(1)) {
      other.mergedInto = survivor.index;
      survivor.count += other.count;
      for (const example of other.examples)
        if (survivor.examples.length < settings.maxExamples && !survivor.examples.includes(example)) survivor.examples.push(example);
      other.leaf.splice(other.leaf.indexOf(other.index), 1);
    }
    group.clusters = new Set([survivor.index]);
  };

  const add = (message: string): number => {
    const tokens = tokenize(message);
    const leaf = leafOf(tokens, false) ?? [];
    let best: Cluster | null = null;
    let bestScore = -1;
    for (const index of leaf) {
      const cluster = clusters[index]!;
      const score = similarity(cluster.tokens, tokens);
      if (score > bestScore) {
        best = cluster;
        bestScore = score;
        if (score === 1) break;
      }
    }
    if (best && bestScore === 1) {
      record(best, message);
      return best.index;
    }
    if (best && bestScore >= settings.similarityThreshold) {
      const bestDiffering = differingPositions(best.tokens, tokens);
      // Differing words are kept apart (refused / reset) until they prove to be variables.
      const kinds = bestDiffering.map((index) => (settings.joinAnyDifference ? "value" : differenceKind(best.tokens[index]!, tokens[index]!)));
      const words = bestDiffering.filter((_, position) => kinds[position] === "word");
      if (kinds.includes("identity")) {
        const created = newCluster(tokens);
        record(created, message);
        return created.index;
      }
      if (words.length === 0) {
        best.tokens = best.tokens.map((token, index) => (bestDiffering.includes(index) ? WILDCARD : token));
        record(best, message);
        return best.index;
      }
      if (words.length === 1 && bestDiffering.length === 1) {
        const position = words[0]!;
        const key = `${position}|${best.tokens.map((token, index) => (index === position ? WILDCARD : token)).join(" ")}`;
        let group = siblings.get(key);
        if (!group) {
          group = { words: new Set([best.tokens[position]!]), clusters: new Set([best.index]) };
          siblings.set(key, group);
        }
        group.words.add(tokens[position]!);
        if (group.words.size >= settings.distinctWordsForVariable) {
          merge(group, position);
          const survivor = live(best.index);
          record(survivor, message);
          return survivor.index;
        }
        const created = newCluster(tokens);
        group.clusters.add(created.index);
        record(created, message);
        return created.index;
      }
    }
    const created = newCluster(tokens);
    record(created, message);
    return created.index;
  };

  const describe = (cluster: Cluster): MinedPattern => ({
    id: cluster.id,
    template: cluster.tokens.join(" "),
    count: cluster.count,
    examples: [...cluster.examples],
  });

  const match = (message: string): MinedPattern | null => {
    const tokens = tokenize(message);
    for (const index of leafOf(tokens, false) ?? []) {
      const cluster = clusters[index]!;
      if (cluster.mergedInto === null && similarity(cluster.tokens, tokens) === 1) return describe(cluster);
    }
    return null;
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
