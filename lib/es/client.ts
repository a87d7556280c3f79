import { readFileSync } from "node:fs";
import { Client } from "@elastic/elasticsearch";
import { ConfigurationError } from "@/lib/errors";
import { instruments } from "@/lib/metrics/instruments";

/** Connection settings of an Elasticsearch cluster (lib/services/connections.ts reads them from the environment). */
export type ElasticsearchConnection = {
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM text of a CA certificate, or the path of a file holding it. */
  caCertificate?: string;
  rejectUnauthorized: boolean;
  requestTimeoutMs: number;
};

function readCertificate(value: string): string {
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    throw new ConfigurationError(`ES_CA_CERT: cannot read the certificate file ${value} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
}

/** The URL without credentials, for messages. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.toString().replace(/\/$/, "");
}

/**
 * An Elasticsearch client for 8.x and 9.x servers. The 8.x client sends REST API compatibility
 * headers for version 8, which 8.x servers accept natively and 9.x servers through REST API
 * compatibility. Its own retries are off: the source retries with its configured policy.
 */
export function createElasticsearchClient(connection: ElasticsearchConnection): Client {
  const client = newClient(connection);
  const { elasticsearchRequests } = instruments();
  client.diagnostic.on("response", (error) => elasticsearchRequests.inc({ outcome: error === null ? "ok" : "error" }));
  return client;
}

function newClient(connection: ElasticsearchConnection): Client {
  const auth = connection.apiKey
    ? { apiKey: connection.apiKey }
    : connection.username !== undefined && connection.password !== undefined
      ? { username: connection.username, password: connection.password }
      : undefined;
  return new Client({
    node: connection.url,
    ...(auth ? { auth } : {}),
    tls: {
      ...(connection.caCertificate ? { ca: readCertificate(connection.caCertificate) } : {}),
      rejectUnauthorized: connection.rejectUnauthorized,
    },
    requestTimeout: connection.requestTimeoutMs,
    maxRetries: 0,
    name: "peak-investigation",
  });
}
