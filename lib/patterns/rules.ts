import { recordAudit } from "@/lib/db/audit";
import type { Db, Prisma, PrismaClient } from "@/lib/db/client";
import {
  findActivePatternRules,
  findPatternRows,
  findPatternRule,
  findPatternRules,
  findRulesAndMergesOfPattern,
  findRowsMergedInto,
  insertPatternRule,
  lockPatternRules,
  markPatternRuleRevoked,
  setMergedInto,
  type PatternRuleRow,
} from "@/lib/db/pattern-rules";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import {
  compilePatternRules,
  expandMergedIds,
  mergeProblem,
  splitChildId,
  splitChildTemplate,
  splitProblem,
  type PatternRule,
  type PatternRuleSet,
  type SplitCriterion,
} from "@/lib/pipeline/pattern-rules";
import { actorLabel, assertRole, type Actor } from "@/lib/roles";
import { patternHashSchema } from "./contract";
import {
  listPatternRulesSchema,
  mergePatternsSchema,
  patternRuleIdSchema,
  splitPatternSchema,
  type ListPatternRulesInput,
  type MergePatternsInput,
  type PatternRuleView,
  type PatternRulesOfPattern,
  type SplitPatternInput,
} from "./rules-contract";

// Merging and splitting patterns (analysts and above), reverting either, and the rules the miner's
// callers apply. Each change is one transaction with its audit entry, serialised with the others.
// The rows keep the counts they were counted under; error_patterns.merged_into says where they show.

function criterionOf(row: PatternRuleRow): SplitCriterion | null {
  if (row.kind !== "split") return null;
  if (row.regex !== null) return { regex: row.regex };
  return row.wildcardIndex !== null && row.wildcardValue !== null ? { wildcard: row.wildcardIndex, value: row.wildcardValue } : null;
}

function ruleOf(row: PatternRuleRow): PatternRule | null {
  if (row.kind === "merge") return { id: row.id, kind: "merge", into: row.targetHash, members: row.memberHashes };
  const criterion = criterionOf(row);
  if (!criterion || row.childHash === null || row.childTemplate === null || row.parentTemplate === null) return null;
  return {
    id: row.id,
    kind: "split",
    parent: row.targetHash,
    parentTemplate: row.parentTemplate,
    child: row.childHash,
    childTemplate: row.childTemplate,
    criterion,
  };
}

/** A criterion as the API and the pages say it: the wildcard numbered from 1. */
function viewedCriterion(criterion: SplitCriterion | null): PatternRuleView["criterion"] {
  return criterion !== null && "wildcard" in criterion ? { wildcard: criterion.wildcard + 1, value: criterion.value } : criterion;
}

function viewOf(row: PatternRuleRow): PatternRuleView {
  return {
    id: row.id,
    kind: row.kind,
    target: row.targetHash,
    members: row.memberHashes,
    child: row.childHash !== null && row.childTemplate !== null ? { hash: row.childHash, template: row.childTemplate } : null,
    criterion: viewedCriterion(criterionOf(row)),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    revokedBy: row.revokedBy,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    isActive: row.revokedAt === null,
  };
}

/** The active rules, compiled for the miner's callers (lib/jobs, the command line) and known-issue matching. */
export async function loadPatternRuleSet(reader: PrismaClient | Prisma.TransactionClient): Promise<PatternRuleSet> {
  const rows = await findActivePatternRules(reader);
  return compilePatternRules(rows.flatMap((row) => ruleOf(row) ?? []));
}

/** Rules, newest first, all or those naming a pattern (viewers and above). */
export async function listPatternRules(db: Db, actor: Actor | null, input: ListPatternRulesInput = {}): Promise<PatternRuleView[]> {
  assertRole(actor, "viewer");
  const filter = parseInput(listPatternRulesSchema, input);
  return (await findPatternRules(db.prisma, filter)).map(viewOf);
}

/** A pattern's place in the rules (its page): where it shows when merged away, what was merged into it, the rules naming it. */
export async function findRulesOfPattern(db: Db, hash: string, mergedInto: string | null): Promise<PatternRulesOfPattern> {
  const { rules, mergedFrom, target } = await findRulesAndMergesOfPattern(db, hash, mergedInto);
  return { mergedInto: target, mergedFrom, rules: rules.map(viewOf) };
}

async function storedRows(transaction: Prisma.TransactionClient, hashes: readonly string[]) {
  const rows = new Map((await findPatternRows(transaction, hashes)).map((row) => [row.hash, row]));
  for (const hash of hashes) if (!rows.has(hash)) throw new NotFoundError(`Pattern ${hash} does not exist`);
  return rows;
}

/** Children of reverted splits of `parents` that show under their parent: they follow it into a merge and back. */
async function revertedSplitChildren(transaction: Prisma.TransactionClient, parents: readonly string[], showingUnder: (parent: string) => string) {
  const children: { child: string; parent: string }[] = [];
  const rows = await findRowsMergedInto(transaction, parents.map(showingUnder));
  const showing = new Set(rows.map((row) => `${row.hash} ${row.mergedInto}`));
  for (const parent of parents) {
    for (const rule of await findPatternRules(transaction, { hash: parent })) {
      if (
        rule.kind === "split" &&
        rule.revokedAt !== null &&
        rule.targetHash === parent &&
        rule.childHash !== null &&
        showing.has(`${rule.childHash} ${showingUnder(parent)}`)
      ) {
        children.push({ child: rule.childHash, parent });
      }
    }
  }
  return children;
}

/**
 * Merges patterns into another (analysts and above): from now on their counts, trends, first
 * windows, peaks and known issues show under it, the stored history included; reverting shows
 * each one's own again. 404 for an unknown pattern; 409 for a merge into itself, a cycle, or a
 * pattern already merged elsewhere.
 */
export async function mergePatterns(db: Db, actor: Actor | null, input: MergePatternsInput): Promise<PatternRuleView> {
  assertRole(actor, "analyst");
  const { members, into } = parseInput(mergePatternsSchema, input);
  return db.prisma.$transaction(async (transaction) => {
    await lockPatternRules(transaction);
    const problem = mergeProblem(compilePatternRules((await findActivePatternRules(transaction)).flatMap((row) => ruleOf(row) ?? [])), members, into);
    if (problem && /itself|named twice/.test(problem)) throw new ConflictError(problem);
    const rows = await storedRows(transaction, [...members, into]);
    if (problem) throw new ConflictError(problem);
    for (const hash of [...members, into]) {
      const shownUnder = rows.get(hash)?.mergedInto;
      if (shownUnder) throw new ConflictError(`Pattern ${hash} shows under ${shownUnder} since its split was reverted; merge ${shownUnder} instead`);
    }
    const followers = await revertedSplitChildren(transaction, members, (parent) => parent);
    const row = await insertPatternRule(transaction, {
      kind: "merge",
      targetHash: into,
      memberHashes: members,
      childHash: null,
      childTemplate: null,
      parentTemplate: null,
      wildcardIndex: null,
      wildcardValue: null,
      regex: null,
      createdBy: actorLabel(actor),
    });
    await setMergedInto(transaction, [...members, ...followers.map((follower) => follower.child)], into);
    await recordAudit(transaction, actor, { action: "pattern.merge", entityType: "pattern", entityId: into, details: { ruleId: row.id, members, into } });
    return viewOf(row);
  });
}

/**
 * Splits a pattern (analysts and above): from now on the messages the miner gives it whose value
 * at a wildcard equals `value`, or whose headline matches `regex` (RE2), are counted under a new
 * pattern. Counts stored before stay with the pattern: only the logs could tell them apart. 404
 * for an unknown pattern; 400 for a wildcard out of range or a regex RE2 refuses; 409 for the same
 * split twice or a merged-away pattern.
 */
export async function splitPattern(db: Db, actor: Actor | null, hash: string, input: SplitPatternInput): Promise<PatternRuleView> {
  assertRole(actor, "analyst");
  const parentHash = parseInput(patternHashSchema, hash);
  const parsed = parseInput(splitPatternSchema, input);
  // The contract numbers wildcards from 1 as the pages do; the rule keeps their index from 0.
  const criterion: SplitCriterion = parsed.regex !== undefined ? { regex: parsed.regex } : { wildcard: (parsed.wildcard ?? 1) - 1, value: parsed.value ?? "" };
  return db.prisma.$transaction(async (transaction) => {
    await lockPatternRules(transaction);
    const parent = (await storedRows(transaction, [parentHash])).get(parentHash)!;
    const rules = compilePatternRules((await findActivePatternRules(transaction)).flatMap((row) => ruleOf(row) ?? []));
    const problem = splitProblem(rules, { id: parent.hash, template: parent.template }, criterion);
    if (problem?.conflict) throw new ConflictError(problem.problem);
    if (problem) throw new InvalidInputError(`${problem.field}: ${problem.problem}`, [{ path: problem.field, message: problem.problem }]);
    if (parent.mergedInto)
      throw new ConflictError(`Pattern ${parent.hash} shows under ${parent.mergedInto} since its split was reverted; split ${parent.mergedInto} instead`);
    const child = splitChildId(parent.hash, criterion);
    const row = await insertPatternRule(transaction, {
      kind: "split",
      targetHash: parent.hash,
      memberHashes: [],
      childHash: child,
      childTemplate: parsed.name ?? splitChildTemplate(parent.template, criterion),
      parentTemplate: parent.template,
      wildcardIndex: "wildcard" in criterion ? criterion.wildcard : null,
      wildcardValue: "wildcard" in criterion ? criterion.value : null,
      regex: "regex" in criterion ? criterion.regex : null,
      createdBy: actorLabel(actor),
    });
    // The same split made again: what its pattern counted before shows as its own again.
    await setMergedInto(transaction, [child], null);
    await recordAudit(transaction, actor, {
      action: "pattern.split",
      entityType: "pattern",
      entityId: parent.hash,
      details: { ruleId: row.id, child, ...("regex" in criterion ? { regex: criterion.regex } : { wildcard: criterion.wildcard + 1, value: criterion.value }) },
    });
    return viewOf(row);
  });
}

/**
 * Reverts a merge or a split (analysts and above); the rule stays, marked reverted. A merge's
 * patterns show their own counts again; a split's new pattern shows under the split pattern (where
 * that one shows). 404 for an unknown rule; 409 for one already reverted, or a split whose new
 * pattern takes part in a merge.
 */
export async function revokePatternRule(db: Db, actor: Actor | null, id: number | string): Promise<PatternRuleView> {
  assertRole(actor, "analyst");
  const ruleId = parseInput(patternRuleIdSchema, id);
  return db.prisma.$transaction(async (transaction) => {
    await lockPatternRules(transaction);
    const rule = await findPatternRule(transaction, ruleId);
    if (!rule) throw new NotFoundError(`Pattern rule ${ruleId} does not exist`);
    if (rule.revokedAt !== null) throw new ConflictError(`Pattern rule ${ruleId} was already reverted`);
    if (rule.kind === "merge") {
      const followers = await revertedSplitChildren(transaction, rule.memberHashes, () => rule.targetHash);
      await setMergedInto(transaction, rule.memberHashes, null);
      for (const { child, parent } of followers) await setMergedInto(transaction, [child], parent);
    } else if (rule.childHash !== null) {
      const child = rule.childHash;
      const merge = (await findActivePatternRules(transaction)).find(
        (other) => other.kind === "merge" && (other.targetHash === child || other.memberHashes.includes(child)),
      );
      if (merge) throw new ConflictError(`Pattern ${child} takes part in merge rule ${merge.id}: revert that first`);
      const [parent] = await findPatternRows(transaction, [rule.targetHash]);
      await setMergedInto(transaction, [child], parent?.mergedInto ?? rule.targetHash);
    }
    if (!(await markPatternRuleRevoked(transaction, ruleId, actorLabel(actor)))) throw new ConflictError(`Pattern rule ${ruleId} was already reverted`);
    await recordAudit(transaction, actor, {
      action: "pattern.rule_revoke",
      entityType: "pattern",
      entityId: rule.targetHash,
      details: { ruleId, kind: rule.kind },
    });
    return viewOf({ ...rule, revokedAt: new Date(), revokedBy: actorLabel(actor) });
  });
}

/** Known issues and known peaks with the pattern ids merged with theirs, to match peaks against (merges apply to matching too). */
export function withMergedPatternIds<Candidates extends { knownIssues: { patternIds: string[] }[]; knownPeaks: { patternIds: string[] }[] }>(
  candidates: Candidates,
  rules: PatternRuleSet,
): Candidates {
  if (rules.mergedInto.size === 0) return candidates;
  const expand = <Matcher extends { patternIds: string[] }>(matcher: Matcher): Matcher => ({
    ...matcher,
    patternIds: expandMergedIds(rules, matcher.patternIds),
  });
  return { ...candidates, knownIssues: candidates.knownIssues.map(expand), knownPeaks: candidates.knownPeaks.map(expand) };
}
