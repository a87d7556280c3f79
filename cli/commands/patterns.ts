import { Command, Option } from "commander";
import { forEachLine, listInputFiles } from "@/lib/es/file-source";
import { InvalidInputError } from "@/lib/errors";
import { NO_PATTERN_RULES, resolveMerge, withPatternSplits, type PatternRuleSet } from "@/lib/pipeline/pattern-rules";
import { createPatternMiner } from "@/lib/pipeline/patterns";
import { loadPatternRuleSet } from "@/lib/patterns/rules";
import { csvCell } from "../output";
import { withServices } from "../services";
import { addPatternRuleCommands } from "./patterns-rules";

/**
 * Groups messages into patterns, one message per line, and prints each line's pattern
 * (LineId from 1 in input order, PatternId, Template): the form grouping accuracy is measured in.
 */
export function patternsCommand(): Command {
  const command = new Command("patterns")
    .description("group messages (one per line) into error patterns and print LineId,PatternId,Template for every line; merge and split stored patterns")
    // Checked in the action: a required option here would be required by the subcommands too.
    .option("--input <file>", "text file, one message per line (optionally gzip); required to group messages")
    .option("--rules", "apply the merges and splits stored in the database (without it, the file is grouped by the miner alone)")
    // Shared with `patterns rules`, whose --format commander reads here (an option of a command is parsed wherever it stands).
    .addOption(
      new Option("--format <format>", "output format: csv (default) or json; for `patterns rules`: table (default), json or csv").choices([
        "csv",
        "json",
        "table",
      ]),
    )
    .action(async (options: { input?: string; rules?: boolean; format?: "csv" | "json" | "table" }) => {
      if (options.input === undefined) throw new InvalidInputError("--input <file> is required to group messages (or use merge, split or rules)");
      if (options.format === "table") throw new InvalidInputError("--format must be csv or json when grouping messages");
      const format = options.format ?? "csv";
      const [file] = await listInputFiles([options.input]);
      const rules: PatternRuleSet = options.rules === true ? await withServices(({ db }) => loadPatternRuleSet(db.prisma)) : NO_PATTERN_RULES;
      const miner = withPatternSplits(createPatternMiner(), rules);
      let handles = new Int32Array(1024);
      let lines = 0;
      await forEachLine(file!, (line) => {
        if (lines === handles.length) {
          const grown = new Int32Array(handles.length * 2);
          grown.set(handles);
          handles = grown;
        }
        handles[lines] = miner.add(line);
        lines += 1;
      });
      const out: string[] = [];
      const flush = () => {
        if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
        out.length = 0;
      };
      if (format === "csv") out.push("LineId,PatternId,Template");
      else out.push("[");
      for (let index = 0; index < lines; index += 1) {
        const pattern = miner.patternOf(handles[index]!);
        // A merged pattern is printed under the one it went into, with its own template (the file alone knows no other).
        const patternId = resolveMerge(rules, pattern.id);
        if (format === "csv") out.push([index + 1, patternId, pattern.template].map(csvCell).join(","));
        else out.push(`  ${JSON.stringify({ lineId: index + 1, patternId, template: pattern.template })}${index < lines - 1 ? "," : ""}`);
        if (out.length >= 10_000) flush();
      }
      if (format === "json") out.push("]");
      flush();
      process.stderr.write(
        `${lines} lines, ${miner.size()} patterns${options.rules === true ? ", stored merges and splits applied" : " (stored merges and splits not applied; add --rules)"}\n`,
      );
    });
  return addPatternRuleCommands(command);
}
