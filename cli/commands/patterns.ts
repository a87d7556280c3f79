import { Command, Option } from "commander";
import { forEachLine, listInputFiles } from "@/lib/es/file-source";
import { createPatternMiner } from "@/lib/pipeline/patterns";
import { csvCell } from "../output";

/**
 * Groups messages into patterns, one message per line, and prints each line's pattern
 * (LineId from 1 in input order, PatternId, Template): the form grouping accuracy is measured in.
 */
export function patternsCommand(): Command {
  return new Command("patterns")
    .description("group messages (one per line) into error patterns and print LineId,PatternId,Template for every line")
    .requiredOption("--input <file>", "text file, one message per line (optionally gzip)")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "json"]).default("csv"))
    .action(async (options: { input: string; format: "csv" | "json" }) => {
      const [file] = await listInputFiles([options.input]);
      const miner = createPatternMiner();
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
      if (options.format === "csv") out.push("LineId,PatternId,Template");
      else out.push("[");
      for (let index = 0; index < lines; index += 1) {
        const pattern = miner.patternOf(handles[index]!);
        if (options.format === "csv") out.push([index + 1, pattern.id, pattern.template].map(csvCell).join(","));
        else out.push(`  ${JSON.stringify({ lineId: index + 1, patternId: pattern.id, template: pattern.template })}${index < lines - 1 ? "," : ""}`);
        if (out.length >= 10_000) flush();
      }
      if (options.format === "json") out.push("]");
      flush();
      process.stderr.write(`${lines} lines, ${miner.size()} patterns\n`);
    });
}
