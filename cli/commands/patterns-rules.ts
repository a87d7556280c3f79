import { Command, Option } from "commander";
import { InvalidInputError } from "@/lib/errors";
import { listPatternRules, mergePatterns, revokePatternRule, splitPattern } from "@/lib/patterns/rules";
import { describePatternRule, type PatternRuleView } from "@/lib/patterns/rules-contract";
import { cliActor } from "@/lib/roles";
import { csvCell, formatConfiguredTime, formatTable } from "../output";
import { withServices } from "../services";

// peaks patterns merge | split | rules [revoke]: analysts' merges and splits of stored patterns
// (lib/patterns/rules.ts), as the operator (cli) in the audit log.

const SPLIT_NOTE =
  "It applies from now on: messages counted before stay with the pattern split, since only the logs could tell them apart. Reading their windows again does not split them either (each window and namespace is counted once).";

function printRule(rule: PatternRuleView, verb: string): void {
  console.log(`Rule ${rule.id} ${verb}: ${describePatternRule(rule)}.`);
}

function mergeCommand(): Command {
  return new Command("merge")
    .description("show patterns' counts, trends, first windows, peaks and known issues under another pattern, history included (reversible)")
    .argument("<hash...>", "the patterns to merge")
    .requiredOption("--into <hash>", "the pattern they go into")
    .action(async (hashes: string[], options: { into: string }) => {
      await withServices(async ({ db }) => {
        const rule = await mergePatterns(db, cliActor, { members: hashes, into: options.into });
        printRule(rule, "made");
        console.log(`Revert it with: peaks patterns rules revoke ${rule.id}`);
      });
    });
}

/** A whole number from 1 (wildcards are numbered as on the pattern page, `<*> #1` first), or a usage error naming the flag. */
function parseWildcard(value: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new InvalidInputError(`--wildcard must be a whole number from 1 (the wildcard's number in the template, <*> #1 first), not "${value}"`);
  return Number(value);
}

function splitCommand(): Command {
  return new Command("split")
    .description("count a pattern's messages with a wildcard's value, or whose headline matches a regex (RE2), under a new pattern from now on")
    .argument("<hash>", "the pattern to split")
    .option("--wildcard <n>", "the wildcard (numbered from 1 as on the pattern page: <*> #1 first) whose value picks the messages; with --value")
    .option("--value <text>", "the value at that wildcard")
    .option("--regex <regex>", "a regular expression (RE2, case-insensitive) on the message's first line; instead of --wildcard/--value")
    .option("--name <template>", "the new pattern's template (default: the template with the value in place, or with the regex)")
    .addHelpText("after", `\n${SPLIT_NOTE}`)
    .action(async (hash: string, options: { wildcard?: string; value?: string; regex?: string; name?: string }) => {
      if (options.regex !== undefined && (options.wildcard !== undefined || options.value !== undefined)) {
        throw new InvalidInputError("Give --wildcard with --value, or --regex, not both");
      }
      if (options.regex === undefined && (options.wildcard === undefined || options.value === undefined)) {
        throw new InvalidInputError("Give --wildcard N with --value V, or --regex R");
      }
      const input =
        options.regex !== undefined
          ? { regex: options.regex, name: options.name }
          : { wildcard: parseWildcard(options.wildcard ?? ""), value: options.value, name: options.name };
      await withServices(async ({ db }) => {
        const rule = await splitPattern(db, cliActor, hash, input);
        printRule(rule, "made");
        console.log(`New pattern ${rule.child?.hash}: ${rule.child?.template}`);
        console.log(SPLIT_NOTE);
        console.log(`Revert it with: peaks patterns rules revoke ${rule.id}`);
      });
    });
}

function rulesCommand(): Command {
  const rules = new Command("rules")
    .description("list merges and splits, newest first (reverted ones included)")
    .option("--pattern <hash>", "only the rules naming this pattern")
    .option("--active", "only the rules in force")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv"]))
    .action(async (_options: unknown, command: Command) => {
      // --format may be parsed by `patterns` itself, which has one too: read it with the parents' options.
      const options = command.optsWithGlobals<{ pattern?: string; active?: boolean; format?: "table" | "json" | "csv" }>();
      const format = options.format ?? "table";
      await withServices(async ({ db }) => {
        const list = await listPatternRules(db, cliActor, { hash: options.pattern, isActiveOnly: options.active === true });
        if (format === "json") {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        if (format === "csv") {
          console.log(
            [
              "id,kind,target,members,child,wildcard,value,regex,created_by,created_at,revoked_by,revoked_at",
              ...list.map((rule) =>
                [
                  rule.id,
                  rule.kind,
                  rule.target,
                  rule.members.join(" "),
                  rule.child?.hash ?? "",
                  rule.criterion && "wildcard" in rule.criterion ? rule.criterion.wildcard : "",
                  rule.criterion && "value" in rule.criterion ? rule.criterion.value : "",
                  rule.criterion && "regex" in rule.criterion ? rule.criterion.regex : "",
                  rule.createdBy,
                  rule.createdAt,
                  rule.revokedBy ?? "",
                  rule.revokedAt ?? "",
                ]
                  .map(csvCell)
                  .join(","),
              ),
            ].join("\n"),
          );
          return;
        }
        if (list.length === 0) {
          console.log("No merges or splits.");
          return;
        }
        console.log(
          formatTable(
            ["ID", "RULE", "BY", "MADE", "REVERTED"],
            list.map((rule) => [
              String(rule.id),
              describePatternRule(rule),
              rule.createdBy,
              formatConfiguredTime(new Date(rule.createdAt)),
              rule.revokedAt === null ? "" : `${formatConfiguredTime(new Date(rule.revokedAt))} by ${rule.revokedBy ?? "?"}`,
            ]),
          ),
        );
      });
    });
  rules
    .command("revoke")
    .description("revert a merge or a split; the rule stays listed as reverted")
    .argument("<id>", "the rule's id (peaks patterns rules)")
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new InvalidInputError(`The rule id must be a whole number, not "${id}"`);
      await withServices(async ({ db }) => {
        const rule = await revokePatternRule(db, cliActor, Number(id));
        printRule(rule, "reverted");
        console.log(
          rule.kind === "merge"
            ? "Each pattern shows its own counts again, those counted while merged included."
            : `Pattern ${rule.child?.hash} now shows under ${rule.target}; new messages go to ${rule.target} again.`,
        );
      });
    });
  return rules;
}

/** Adds merge, split and rules to `peaks patterns`. */
export function addPatternRuleCommands(patterns: Command): Command {
  return patterns.addCommand(mergeCommand()).addCommand(splitCommand()).addCommand(rulesCommand());
}
