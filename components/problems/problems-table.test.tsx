import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ProblemSummary } from "@/lib/problems/contract";
import { ProblemsTable } from "./problems-table";

const problem: ProblemSummary = {
  id: "9f1c2a7be0d44e-timeout",
  patternId: "9f1c2a7be0d44e",
  errorType: "timeout",
  template: "HikariPool-1 - Connection is not available, request timed out after <*>ms",
  example: "HikariPool-1 - Connection is not available, request timed out after 30000ms",
  occurrences: 5,
  incidents: 3,
  namespaces: ["ledger", "orders", "payments", "refunds", "search"],
  apps: ["ledger-api"],
  firstSeen: "2026-11-23T10:00:00Z",
  lastSeen: "2026-11-23T10:45:00Z",
  errors: 2000,
  trend: { direction: "up", current: { windows: 5, errors: 2000 }, previous: { windows: 1, errors: 400 }, ratio: 5, previousGap: null },
  scope: { kind: "systemic", namespaces: 5, mostAtOnce: 3, mostAtOnceFrom: "2026-11-23T10:15:00Z" },
  knownIssue: null,
};

const render = (problems: ProblemSummary[]) =>
  renderToStaticMarkup(<ProblemsTable problems={problems} timeZone="Europe/Prague" caption="Problems" hrefOf={(id) => `/problems/${id}?since=7d`} />);

describe("ProblemsTable", () => {
  it("names each problem by its template, linking to its page with the list's period, with its error type", () => {
    const html = render([problem]);
    expect(html).toContain('<tr data-problem-id="9f1c2a7be0d44e-timeout">');
    expect(html).toContain('href="/problems/9f1c2a7be0d44e-timeout?since=7d"');
    expect(html).toContain(">HikariPool-1 - Connection is not available, request timed out after &lt;*&gt;ms</a>");
    expect(html).toContain("<code>timeout</code>");
  });

  it("says the trend and the scope in words with their figures, not by colour alone", () => {
    const html = render([problem]);
    expect(html).toContain('<span aria-hidden="true">↑ </span>growing ×5.0');
    expect(html).toContain("2,000 errors (5 windows), 400 before");
    expect(html).toContain('systemic<span class="muted"> · 3 at once</span>');
    expect(html).not.toContain("period before incomplete");
  });

  it("marks a trend whose period before lacks data, in words", () => {
    const previousGap = { missingWindows: 8, namespaces: ["payments"], namespaceTotal: 1, storedFrom: null };
    const html = render([{ ...problem, trend: { ...problem.trend, previousGap } }]);
    expect(html).toContain('growing ×5.0</span><span class="problem-trend-caveat">period before incomplete</span>');
  });

  it("names three namespaces and counts the rest, gives times in the configured timezone and says when there is no known issue", () => {
    const html = render([problem]);
    expect(html).toContain('<span title="ledger, orders, payments, refunds, search">ledger, orders, payments<span class="muted"> +2 more</span></span>');
    expect(html).toContain("23 Nov 2026, 11:00");
    expect(html).toContain('<span class="muted">none</span>');
  });

  it("links a known problem's issue, and falls back to the example when no template is kept", () => {
    const html = render([{ ...problem, template: null, knownIssue: { id: 7, title: "Pool exhausted", status: "active" } }]);
    expect(html).toContain('<a href="/known-issues/7">Pool exhausted</a>');
    expect(html).toContain(">HikariPool-1 - Connection is not available, request timed out after 30000ms</a>");
    expect(html).toContain("example message, pattern no longer kept");
  });
});
