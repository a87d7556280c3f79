import { describe, expect, it } from "vitest";
import { parseCsv } from "@/lib/csv";
import { composeDigest } from "./compose";
import { digestTables } from "./contract";
import { problemOf, sourcesOf } from "./digest-sources.fixture";
import { CARD_ROWS, digestCard } from "./render-card";
import { digestCsv, digestCsvFileName } from "./render-csv";
import { digestHtml, digestText, escapeHtml } from "./render-html";

const hostile = "<script>alert(\"x\")</script> & 'quoted'";

async function records(text: string): Promise<(string | null)[][]> {
  const rows: (string | null)[][] = [];
  async function* chunks() {
    yield text;
  }
  for await (const record of parseCsv(chunks())) rows.push(record.fields);
  return rows;
}

type Card = {
  type: string;
  attachments: { contentType: string; content: { type: string; version: string; body: Record<string, unknown>[]; actions: unknown[] } }[];
};

describe("digestCard", () => {
  it("is a Workflows message holding one Adaptive Card, as every Teams message of the product, linking to the report", () => {
    const card = digestCard(composeDigest(sourcesOf())) as Card;
    expect(card.type).toBe("message");
    expect(card.attachments).toHaveLength(1);
    expect(card.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0]!.content).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(card.attachments[0]!.content.actions).toEqual([
      { type: "Action.OpenUrl", title: "Open the daily report", url: "https://peaks.example.com/reports/daily/2026-01-15" },
    ]);
  });

  it("holds the top problems with trend, scope and known issue, the open incidents and the data gaps", () => {
    const text = JSON.stringify(digestCard(composeDigest(sourcesOf())));
    expect(text).toContain("Daily digest of 2026-01-15");
    expect(text).toContain("1. Timeout calling <*> after <*> ms (aa11-timeout)");
    expect(text).toContain("up: 1,200 errors, 300 the period before (×4.0)");
    expect(text).toContain("systemic: 3 namespaces, 3 at once");
    expect(text).toContain("Incidents still open (2)");
    expect(text).toContain("#12 payments");
    expect(text).toContain("Namespace search silent");
    expect(text).not.toContain("cc33-auth");
  });

  it("says when a problem's period before was not read in full, so that 'new' is not taken for certain", () => {
    const previousGap = { missingWindows: 8, namespaces: ["payments"], namespaceTotal: 1, storedFrom: null };
    const problem = problemOf("aa11-timeout", {
      trend: { direction: "up", current: { windows: 4, errors: 1200 }, previous: { windows: 0, errors: 0 }, ratio: null, previousGap },
    });
    const card = JSON.stringify(digestCard(composeDigest(sourcesOf({ problems: [problem] }))));
    expect(card).toContain("new: 1,200 errors, none the period before (incomplete: not all of it was read)");
    expect(digestHtml(composeDigest(sourcesOf({ problems: [problem] })))).toContain("(incomplete: not all of it was read)");
    expect(JSON.stringify(digestCard(composeDigest(sourcesOf())))).not.toContain("incomplete");
  });

  it("keeps at most CARD_ROWS lines of a part and says how many more the report has", () => {
    const many = Array.from({ length: CARD_ROWS + 5 }, (_, index) => ({
      namespace: `ns-${index}`,
      version: "1.0.0",
      firstSeenMs: Date.parse("2026-01-14T09:00:00Z") + index * 60_000,
      errors: 1,
    }));
    const text = JSON.stringify(digestCard(composeDigest(sourcesOf({ newVersions: many, newVersionTotal: 40 }))));
    expect(text).toContain("ns-9 1.0.0");
    expect(text).not.toContain("ns-10 1.0.0");
    expect(text).toContain("… and 30 more on the report page.");
  });

  it("stays far below Teams' 28 KB with the largest digest", () => {
    const problems = Array.from({ length: 100 }, (_, index) => problemOf(`p${index}-timeout`, { template: "x".repeat(2000), namespaces: ["a", "b"] }));
    const card = digestCard(composeDigest(sourcesOf({ top: 10, problems, problemTotal: 100 })));
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(20_000);
  });
});

describe("digestHtml", () => {
  it("escapes the five characters that matter in HTML", () => {
    expect(escapeHtml(hostile)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;");
  });

  it("escapes every text that comes from the data: templates, namespaces, known issues, owners, gaps", () => {
    const content = composeDigest(
      sourcesOf({
        problems: [problemOf("aa11-timeout", { template: hostile, namespaces: [hostile], knownIssue: { id: 1, title: hostile, status: "active" } })],
        openIncidents: sourcesOf().openIncidents.map((incident) => ({ ...incident, namespace: hostile, owner: hostile })),
        dataGaps: sourcesOf().dataGaps.map((gap) => ({ ...gap, detail: hostile, subject: hostile })),
        newVersions: [{ namespace: hostile, version: hostile, firstSeenMs: Date.parse("2026-01-14T09:00:00Z"), errors: 1 }],
      }),
    );
    const html = digestHtml(content);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('alert("x")');
    expect(html.match(/&lt;script&gt;/g)!.length).toBeGreaterThanOrEqual(7);
  });

  it("is a whole document with inline styles only, and links only to http(s) URLs", () => {
    const html = digestHtml(composeDigest(sourcesOf({ dashboardUrl: "javascript:alert(1)//" })));
    expect(html.startsWith("<!DOCTYPE html><html")).toBe(true);
    expect(html).not.toMatch(/<style|<link|<script/);
    expect(html).not.toContain('href="javascript:');
    expect(digestHtml(composeDigest(sourcesOf()))).toContain('href="https://peaks.example.com/problems/aa11-timeout"');
  });

  it("says a new version only dated so far is not counted yet, never 0 errors", () => {
    const html = digestHtml(
      composeDigest(sourcesOf({ newVersions: [{ namespace: "orders", version: "1.9.2", firstSeenMs: Date.parse("2026-01-14T09:00:00Z"), errors: null }] })),
    );
    const row = html.slice(html.indexOf("1.9.2"), html.indexOf("</tr>", html.indexOf("1.9.2")));
    expect(row).toContain("not counted yet");
    expect(row).not.toMatch(/>0</);
  });

  it("has a plain-text twin with the same top problems and report link", () => {
    const text = digestText(composeDigest(sourcesOf()));
    expect(text).toContain("1. Timeout calling <*> after <*> ms (aa11-timeout)");
    expect(text).toContain("Report: https://peaks.example.com/reports/daily/2026-01-15");
  });
});

describe("digestCsv", () => {
  it("writes one table per CSV with its header, a row per entry, and values that round-trip", async () => {
    const content = composeDigest(sourcesOf({ problems: [problemOf("aa11-timeout", { template: 'a "quoted", multi\nline template' })], problemTotal: 1 }));
    const problems = await records(digestCsv(content, "problems"));
    expect(problems[0]!.slice(0, 4)).toEqual(["rank", "id", "error_type", "template"]);
    expect(problems[1]!.slice(0, 6)).toEqual(["1", "aa11-timeout", "timeout", 'a "quoted", multi\nline template', "up", "1200"]);
    expect(problems).toHaveLength(2);
    const incidents = await records(digestCsv(content, "incidents"));
    expect(incidents.map((row) => row[0])).toEqual(["id", "12", "11"]);
    expect(incidents[2]![9]).toBe("ana@example.com");
    expect(incidents[1]![9]).toBeNull();
    expect((await records(digestCsv(content, "data-gaps"))).map((row) => [row[0], row[3]])).toEqual([
      ["id", "open_at_end"],
      ["4", "true"],
      ["3", "false"],
    ]);
    expect(await records(digestCsv(content, "versions"))).toEqual([
      ["namespace", "version", "first_seen", "errors"],
      ["orders", "1.9.1", "2026-01-14T09:00:00.000Z", "3"],
      ["payments", "2.4.0", "2026-01-14T12:00:00.000Z", "40"],
    ]);
  });

  it("leaves the errors of a version not counted yet empty, not 0", async () => {
    const content = composeDigest(
      sourcesOf({ newVersions: [{ namespace: "orders", version: "1.9.2", firstSeenMs: Date.parse("2026-01-14T09:00:00Z"), errors: null }] }),
    );
    expect(await records(digestCsv(content, "versions"))).toEqual([
      ["namespace", "version", "first_seen", "errors"],
      ["orders", "1.9.2", "2026-01-14T09:00:00.000Z", null],
    ]);
  });

  it("writes only a header for an empty table, and names each file by date and table", async () => {
    const content = composeDigest(sourcesOf({ dataGaps: [] }));
    expect(await records(digestCsv(content, "data-gaps"))).toHaveLength(1);
    expect(digestTables.map((table) => digestCsvFileName("2026-01-15", table))).toEqual([
      "digest-2026-01-15-problems.csv",
      "digest-2026-01-15-incidents.csv",
      "digest-2026-01-15-data-gaps.csv",
      "digest-2026-01-15-versions.csv",
    ]);
  });
});
