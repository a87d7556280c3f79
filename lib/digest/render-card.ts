import { formatCount, formatDateTime } from "@/lib/format";
import { cardMessage, type CardElement } from "@/lib/notify/teams";
import type { DigestContent } from "./contract";
import { describeDataGap, describeIncidentState, describeKnownIssue, describePeriod, describeScope, describeTrend, problemTitle } from "./words";

// The digest as one Teams message (an Adaptive Card in the Workflows envelope every message of
// the product uses). Teams refuses a card above about 28 KB, so the card holds the top problems
// and at most CARD_ROWS lines of each other part; the report page has everything.

/** Lines of open incidents, new versions and data gaps shown on the card, each. */
export const CARD_ROWS = 10;
/** Characters of a problem's template shown on the card. */
const CARD_TEMPLATE_CHARS = 200;

function text(value: string, extra: CardElement = {}): CardElement {
  return { type: "TextBlock", wrap: true, text: value, ...extra };
}

function heading(value: string): CardElement {
  return text(value, { weight: "Bolder", size: "Medium", spacing: "Large", separator: true });
}

function moreLine(shown: number, total: number): CardElement[] {
  return total > shown ? [text(`… and ${formatCount(total - shown)} more on the report page.`, { isSubtle: true, spacing: "Small" })] : [];
}

/** The Teams message of a digest. */
export function digestCard(content: DigestContent): Record<string, unknown> {
  const tz = content.timeZone;
  const body: CardElement[] = [
    text(`Daily digest of ${content.date}`, { size: "Large", weight: "Bolder", color: content.problemTotal > 0 ? "Warning" : "Good" }),
    text(describePeriod(content), { isSubtle: true, spacing: "None" }),
    text(content.headline),
  ];

  body.push(heading(content.problems.length > 0 ? `Top ${content.problems.length} of ${formatCount(content.problemTotal)} problems` : "Problems"));
  if (content.problems.length === 0) body.push(text("No problem in this period."));
  for (const problem of content.problems) {
    body.push({
      type: "Container",
      spacing: "Medium",
      items: [
        text(`${problem.rank}. ${problemTitle(problem, CARD_TEMPLATE_CHARS)}`, { weight: "Bolder", fontType: "Monospace" }),
        {
          type: "FactSet",
          facts: [
            { title: "Error type", value: problem.errorType },
            { title: "Trend", value: describeTrend(problem.trend) },
            { title: "Scope", value: describeScope(problem.scope) },
            { title: "Namespaces", value: problem.namespaces.join(", ") },
            { title: "Incidents", value: `${problem.incidents} (${problem.occurrences} windows)` },
            { title: "Known issue", value: describeKnownIssue(problem.knownIssue) },
            ...problem.versionFindings.map((finding) => ({ title: "Release", value: finding.text })),
          ],
        },
      ],
    });
  }
  if (content.windowsWithoutRootCause > 0) {
    body.push(text(`${formatCount(content.windowsWithoutRootCause)} peak windows are not investigated yet and in no problem.`, { isSubtle: true }));
  }

  if (content.openIncidentTotal > 0) {
    body.push(heading(`Incidents still open (${formatCount(content.openIncidentTotal)})`));
    for (const incident of content.openIncidents.slice(0, CARD_ROWS)) {
      body.push(
        text(
          `#${incident.id} ${incident.namespace}, since ${formatDateTime(incident.start, tz)}: ${formatCount(incident.errors)} errors; ${describeIncidentState(incident, tz)}`,
          { spacing: "Small" },
        ),
      );
    }
    body.push(...moreLine(Math.min(CARD_ROWS, content.openIncidents.length), content.openIncidentTotal));
  }

  if (content.newVersionTotal > 0 || content.releaseFindings.length > 0) {
    body.push(heading(`Releases (${formatCount(content.newVersionTotal)} new versions)`));
    for (const finding of content.releaseFindings.slice(0, CARD_ROWS)) body.push(text(`${finding.problemId}: ${finding.text}`, { spacing: "Small" }));
    for (const version of content.newVersions.slice(0, CARD_ROWS)) {
      body.push(text(`${version.namespace} ${version.version}, first seen ${formatDateTime(version.firstSeen, tz)}`, { spacing: "Small" }));
    }
    body.push(...moreLine(Math.min(CARD_ROWS, content.newVersions.length), content.newVersionTotal));
  }

  if (content.dataGaps.length > 0) {
    body.push(heading(`Data gaps (${content.dataGaps.length})`));
    for (const gap of content.dataGaps.slice(0, CARD_ROWS))
      body.push(text(describeDataGap(gap, tz), { spacing: "Small", color: gap.isOpen ? "Warning" : "Default" }));
    body.push(...moreLine(Math.min(CARD_ROWS, content.dataGaps.length), content.dataGaps.length));
  }
  return cardMessage(body, content.url, "Open the daily report");
}
