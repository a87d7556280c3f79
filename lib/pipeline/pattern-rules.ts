import { stableHash } from "./hash";
import { wildcardValues } from "./pattern-values";
import { headlineOf, WILDCARD, type MinedPattern, type PatternMiner } from "./patterns";
import { boundSubject, compileUserRegex, type UserRegex } from "./user-regex";

// Analysts' merges and splits, applied as a layer after the miner: the miner's ids and templates
// stay its own, and a rule only maps what it answers.
//
// - A split acts when a message is counted: the message the miner gives the split pattern goes to
//   the split's new pattern when its value at a wildcard equals the rule's value, or when its
//   headline matches the rule's regex (RE2: linear time). It acts from then on; counts stored
//   before it stay with the split pattern, since only the messages could tell them apart.
// - A merge acts when patterns are read: stored rows keep the id they were counted under, and
//   reads show the members' counts under the pattern they were merged into, so reverting a merge
//   shows each pattern's own counts again, exactly, including those counted while it stood.
// - Reverting a split shows its new pattern's counts under the split pattern (a merge back).

/** How a split picks its messages: the value at a wildcard of the split pattern's template (index from 0), or a regex on the headline. */
export type SplitCriterion = { wildcard: number; value: string } | { regex: string };

export type MergeRule = { id: number; kind: "merge"; into: string; members: readonly string[] };
export type SplitRule = {
  id: number;
  kind: "split";
  parent: string;
  /** The parent's template when the rule was made: wildcard indexes refer to it, whatever the miner refines later. */
  parentTemplate: string;
  child: string;
  childTemplate: string;
  criterion: SplitCriterion;
};
/** An active rule (revoked rules are not applied). */
export type PatternRule = MergeRule | SplitRule;

type CompiledSplit = { rule: SplitRule; matches: (message: string) => boolean };

/** Active rules ready to apply: splits per parent in rule order, and where each merged pattern shows. */
export type PatternRuleSet = {
  splitsOf: ReadonlyMap<string, readonly CompiledSplit[]>;
  mergedInto: ReadonlyMap<string, string>;
  hasSplits: boolean;
};

/** Wildcards in a template. */
export function wildcardCount(template: string): number {
  return template.split(WILDCARD).length - 1;
}

/** A split's new pattern id: the same split of the same pattern always gives the same id. */
export function splitChildId(parent: string, criterion: SplitCriterion): string {
  return stableHash("regex" in criterion ? `split ${parent} regex ${criterion.regex}` : `split ${parent} wildcard ${criterion.wildcard} ${criterion.value}`);
}

/** A split's new template unless the analyst names it: the value in place of its wildcard, or the template and the regex. */
export function splitChildTemplate(parentTemplate: string, criterion: SplitCriterion): string {
  if ("regex" in criterion) return `${parentTemplate} [matching /${criterion.regex}/]`;
  const parts = parentTemplate.split(WILDCARD);
  return parts.reduce((text, part, index) => (index === 0 ? part : `${text}${index - 1 === criterion.wildcard ? criterion.value : WILDCARD}${part}`), "");
}

function compileSplit(rule: SplitRule): CompiledSplit | null {
  const { criterion } = rule;
  if ("regex" in criterion) {
    const compiled = compileUserRegex(criterion.regex);
    if (!compiled.ok) return null;
    const regex: UserRegex = compiled.regex;
    return { rule, matches: (message) => regex.test(boundSubject(headlineOf(message))) };
  }
  return { rule, matches: (message) => wildcardValues(rule.parentTemplate, message)?.[criterion.wildcard] === criterion.value };
}

/** Prepares active rules; a stored regex RE2 no longer accepts is skipped (the edge refuses such regexes). */
export function compilePatternRules(rules: readonly PatternRule[]): PatternRuleSet {
  const splitsOf = new Map<string, CompiledSplit[]>();
  const mergedInto = new Map<string, string>();
  for (const rule of [...rules].sort((left, right) => left.id - right.id)) {
    if (rule.kind === "merge") {
      for (const member of rule.members) mergedInto.set(member, rule.into);
      continue;
    }
    const compiled = compileSplit(rule);
    if (!compiled) continue;
    const list = splitsOf.get(rule.parent);
    if (list) list.push(compiled);
    else splitsOf.set(rule.parent, [compiled]);
  }
  return { splitsOf, mergedInto, hasSplits: splitsOf.size > 0 };
}

export const NO_PATTERN_RULES: PatternRuleSet = compilePatternRules([]);

type IdAndTemplate = { id: string; template: string };

/** Examples kept per pattern a split made (the miner's default). */
const MAX_SPLIT_EXAMPLES = 5;

/** The pattern a message counts under: the split's new pattern when a split of its mined pattern takes it (the oldest rule first), else the mined one. */
export function applySplits(rules: PatternRuleSet, mined: IdAndTemplate, message: string): IdAndTemplate {
  for (const split of rules.splitsOf.get(mined.id) ?? []) {
    if (split.matches(message)) return { id: split.rule.child, template: split.rule.childTemplate };
  }
  return { id: mined.id, template: mined.template };
}

/** The id a stored pattern shows under: the pattern it was merged into, or itself. */
export function resolveMerge(rules: PatternRuleSet, id: string): string {
  return rules.mergedInto.get(id) ?? id;
}

/** Both layers: where a message shows (splits, then merges). Templates of merged patterns are the reader's. */
export function effectivePatternId(rules: PatternRuleSet, mined: IdAndTemplate, message: string): string {
  return resolveMerge(rules, applySplits(rules, mined, message).id);
}

/**
 * The miner with the splits applied to what it answers: `patternOf` and `match` give a split's
 * new pattern for the messages it takes. Without splits it is the miner itself. Keeps the headline
 * of each message the miner puts into a split pattern when it is added (splits are decided once
 * clusters have settled), so memory follows those messages only; a message that joins a split
 * pattern only through a later merge of clusters stays with it.
 */
export function withPatternSplits(miner: PatternMiner, rules: PatternRuleSet): PatternMiner {
  if (!rules.hasSplits) return miner;
  const inner: number[] = [];
  const headlines: (string | undefined)[] = [];
  // Every pattern's count and examples after splitting; rebuilt after an add, as clusters may have merged.
  let tally: Map<string, MinedPattern> | null = null;
  const idOf = (handle: number): IdAndTemplate => {
    const mined = miner.patternOf(inner[handle]!);
    const headline = headlines[handle];
    return headline === undefined ? mined : applySplits(rules, mined, headline);
  };
  const tallied = (): Map<string, MinedPattern> => {
    if (tally) return tally;
    tally = new Map();
    for (let handle = 0; handle < inner.length; handle += 1) {
      const { id, template } = idOf(handle);
      const headline = headlines[handle];
      const entry = tally.get(id);
      if (!entry) tally.set(id, { id, template, count: 1, examples: headline === undefined ? [] : [headline] });
      else {
        entry.count += 1;
        if (headline !== undefined && entry.examples.length < MAX_SPLIT_EXAMPLES && !entry.examples.includes(headline)) entry.examples.push(headline);
      }
    }
    return tally;
  };
  return {
    add: (message) => {
      const handle = miner.add(message);
      inner.push(handle);
      headlines.push(rules.splitsOf.has(miner.patternOf(handle).id) ? headlineOf(message) : undefined);
      tally = null;
      return inner.length - 1;
    },
    patternOf: (handle) => {
      const mined = miner.patternOf(inner[handle]!);
      // Patterns no split touches answer as the miner does; the others from the tally.
      if (!rules.splitsOf.has(mined.id)) return mined;
      return tallied().get(idOf(handle).id)!;
    },
    match: (message) => {
      const mined = miner.match(message);
      if (!mined) return null;
      const split = applySplits(rules, mined, message);
      return split.id === mined.id ? mined : { id: split.id, template: split.template, count: tallied().get(split.id)?.count ?? 0, examples: [] };
    },
    patterns: () => [...tallied().values()].sort((left, right) => right.count - left.count || left.id.localeCompare(right.id)),
    size: () => tallied().size,
  };
}

/**
 * Why a merge of `members` into `into` cannot be made, as a sentence; null when it can. Merges
 * stay one level deep, so that each pattern shows under at most one other and reverting one merge
 * never changes another.
 */
export function mergeProblem(rules: PatternRuleSet, members: readonly string[], into: string): string | null {
  if (members.length === 0) return "Name at least one pattern to merge";
  if (members.includes(into)) return `Pattern ${into} cannot be merged into itself`;
  if (new Set(members).size !== members.length) return "A pattern is named twice among those to merge";
  const targetOf = rules.mergedInto.get(into);
  if (targetOf !== undefined) return `Pattern ${into} is itself merged into ${targetOf}: merge into ${targetOf} instead`;
  for (const member of members) {
    const already = rules.mergedInto.get(member);
    if (already === into) return `Pattern ${member} is already merged into ${into}`;
    if (already !== undefined) return `Pattern ${member} is already merged into ${already}: revert that merge first`;
    const own = [...rules.mergedInto].filter(([, target]) => target === member).map(([hash]) => hash);
    if (own.length > 0) {
      return own.includes(into)
        ? `Pattern ${into} is merged into ${member}: merging back would make a cycle; revert that merge instead`
        : `Patterns are merged into ${member} (${own.join(", ")}): merge into ${member} instead, or revert that merge first`;
    }
  }
  return null;
}

/** Why a split cannot be made, as a sentence with the field at fault; null when it can. */
export function splitProblem(
  rules: PatternRuleSet,
  parent: { id: string; template: string },
  criterion: SplitCriterion,
): { field: "wildcard" | "value" | "regex" | "pattern"; problem: string; conflict: boolean } | null {
  const mergedInto = rules.mergedInto.get(parent.id);
  if (mergedInto !== undefined)
    return { field: "pattern", problem: `Pattern ${parent.id} is merged into ${mergedInto}: split ${mergedInto}, or revert the merge first`, conflict: true };
  if ("regex" in criterion) {
    const compiled = compileUserRegex(criterion.regex);
    if (!compiled.ok) return { field: "regex", problem: compiled.problem, conflict: false };
  } else {
    const count = wildcardCount(parent.template);
    if (count === 0) return { field: "wildcard", problem: `Pattern ${parent.id} has no wildcard to split by; split it by a regex`, conflict: false };
    if (!Number.isInteger(criterion.wildcard) || criterion.wildcard < 0 || criterion.wildcard >= count) {
      return {
        field: "wildcard",
        // Said as the pages and the API number wildcards: from 1.
        problem: `wildcard must be from 1 to ${count}: the template has ${count} wildcard${count === 1 ? "" : "s"}`,
        conflict: false,
      };
    }
    if (criterion.value.trim() === "") return { field: "value", problem: "value must not be empty", conflict: false };
  }
  const child = splitChildId(parent.id, criterion);
  if ((rules.splitsOf.get(parent.id) ?? []).some((split) => split.rule.child === child)) {
    return { field: "pattern", problem: `Pattern ${parent.id} is already split this way`, conflict: true };
  }
  return null;
}

/**
 * `ids` with every pattern merged with one of them (the one they went into and its other members),
 * so that a known issue naming a pattern matches messages counted under any pattern shown with it.
 */
export function expandMergedIds(rules: PatternRuleSet, ids: readonly string[]): string[] {
  const roots = new Set(ids.map((id) => resolveMerge(rules, id)));
  const expanded = new Set([...ids, ...roots]);
  for (const [member, root] of rules.mergedInto) if (roots.has(root)) expanded.add(member);
  return [...expanded];
}
