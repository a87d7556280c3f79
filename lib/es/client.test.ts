import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "@/lib/errors";
import { createElasticsearchClient, redactedUrl, type ElasticsearchConnection } from "./client";

const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-es-client-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const connection: ElasticsearchConnection = { url: "https://es.example:9200", rejectUnauthorized: true, requestTimeoutMs: 1234 };
const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("createElasticsearchClient", () => {
  it("takes the CA certificate as PEM text or as a file", async () => {
    const file = path.join(folder, "ca.pem");
    writeFileSync(file, pem);
    for (const caCertificate of [pem, file]) {
      const client = createElasticsearchClient({ ...connection, caCertificate, apiKey: "key" });
      expect(client).toBeDefined();
      await client.close();
    }
  });

  it("names the variable and the file when the certificate cannot be read", () => {
    const missing = path.join(folder, "missing.pem");
    expect(() => createElasticsearchClient({ ...connection, caCertificate: missing })).toThrow(ConfigurationError);
    expect(() => createElasticsearchClient({ ...connection, caCertificate: missing })).toThrow(
      `ES_CA_CERT: cannot read the certificate file ${missing} (ENOENT)`,
    );
  });
});

describe("redactedUrl", () => {
  it("drops credentials and the trailing slash", () => {
    expect(redactedUrl("https://user:secret@es.example:9200/")).toBe("https://es.example:9200");
    expect(redactedUrl("http://127.0.0.1:9200")).toBe("http://127.0.0.1:9200");
  });
});
