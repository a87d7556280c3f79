import { Command } from "commander";
import { redactedUrl } from "@/lib/es/client";
import { elasticsearchSourceOf } from "@/lib/es";
import { InvalidInputError } from "@/lib/errors";
import { cliSettings } from "../services";

export function sourceCommand(): Command {
  const command = new Command("source").description("the log source");
  command
    .command("check")
    .description("connect to Elasticsearch (ES_URL) and check the index pattern and the field mapping of values.yaml")
    .action(async () => {
      const { config, connections } = cliSettings();
      const connection = connections.elasticsearch;
      if (!connection) throw new InvalidInputError("ES_URL is not set: the file source needs no check (see .env.example).");
      const source = elasticsearchSourceOf(config, connection, { onRetry: (message) => process.stderr.write(`${message}\n`) });
      try {
        const check = await source.check();
        console.log(`Elasticsearch ${check.version ?? "(version not readable with these credentials)"} at ${redactedUrl(connection.url)}`);
        console.log(
          `Index pattern "${config.source.index_pattern}": ${check.indices.length} indices (${check.indices.slice(0, 5).join(", ")}${check.indices.length > 5 ? ", …" : ""})`,
        );
        console.log(
          `Queries use: timestamp ${check.fields.timestamp}, namespace ${check.fields.namespace}, level ${check.fields.level}, version ${check.fields.version ?? "(none: versions are not dated at ingestion)"}`,
        );
        for (const warning of check.warnings) console.log(`Warning: ${warning}`);
      } finally {
        await source.close();
      }
    });
  return command;
}
