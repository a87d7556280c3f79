import { formatCount, formatDateTime } from "@/lib/format";
import type { DigestContent } from "./contract";
import {
  describeDataGap,
  describeIncidentState,
  describeKnownIssue,
  describePeriod,
  describeScope,
  describeTrend,
  describeVersionErrors,
  problemTitle,
} from "./words";

// The digest as an e-mail: one self-contained HTML document (inline styles only: mail clients
// drop <style> and external sheets), every text escaped, and a plain-text twin for clients that
// show no HTML.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML content or a quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/** An http(s) URL for an href, else "#": nothing else may become a link. */
function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : "#";
}

const FONT = "font-family:Segoe UI,Helvetica,Arial,sans-serif;";
const CELL = "border:1px solid #d0d7de;padding:6px 8px;vertical-align:top;text-align:left;";
const HEAD = `${CELL}background:#f3f4f6;font-weight:600;`;
const H2 = `${FONT}font-size:17px;margin:24px 0 8px;color:#111827;`;
const MUTED = "color:#6b7280;";

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((header) => `<th style="${HEAD}">${escapeHtml(header)}</th>`).join("");
  // Cells arrive as HTML already: each caller escapes its texts.
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td style="${CELL}">${cell}</td>`).join("")}</tr>`).join("");
  return `<table role="presentation" cellspacing="0" cellpadding="0" style="${FONT}border-collapse:collapse;font-size:13px;width:100%;"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function link(url: string, label: string): string {
  return `<a href="${safeHref(url)}" style="color:#1d4ed8;">${escapeHtml(label)}</a>`;
}

function more(shown: number, total: number): string {
  return total > shown ? `<p style="${FONT}${MUTED}font-size:13px;">${escapeHtml(`… and ${formatCount(total - shown)} more on the report page.`)}</p>` : "";
}

/** The e-mail's HTML: a whole document. */
export function digestHtml(content: DigestContent): string {
  const tz = content.timeZone;
  const parts: string[] = [
    `<h1 style="${FONT}font-size:22px;margin:0 0 4px;color:#111827;">${escapeHtml(`Daily digest of ${content.date}`)}</h1>`,
    `<p style="${FONT}${MUTED}margin:0 0 12px;">${escapeHtml(describePeriod(content))}</p>`,
    `<p style="${FONT}font-size:15px;margin:0 0 12px;">${escapeHtml(content.headline)}</p>`,
    `<p style="${FONT}margin:0 0 12px;">${link(content.url, "Open the daily report")}</p>`,
    `<h2 style="${H2}">${escapeHtml(content.problems.length > 0 ? `Top ${content.problems.length} of ${formatCount(content.problemTotal)} problems` : "Problems")}</h2>`,
  ];
  if (content.problems.length === 0) parts.push(`<p style="${FONT}">No problem in this period.</p>`);
  else {
    parts.push(
      table(
        ["#", "Problem", "Trend", "Scope", "Namespaces", "Known issue"],
        content.problems.map((problem) => [
          String(problem.rank),
          `${link(problem.url, problemTitle(problem))}<br><span style="${MUTED}font-size:12px;">${escapeHtml(`${problem.errorType} · ${problem.incidents} incidents, ${problem.occurrences} windows`)}</span>${problem.versionFindings
            .map((finding) => `<br><span style="font-size:12px;">${escapeHtml(finding.text)}</span>`)
            .join("")}`,
          escapeHtml(describeTrend(problem.trend)),
          escapeHtml(describeScope(problem.scope)),
          escapeHtml(problem.namespaces.join(", ")),
          escapeHtml(describeKnownIssue(problem.knownIssue)),
        ]),
      ),
    );
  }
  if (content.windowsWithoutRootCause > 0) {
    parts.push(
      `<p style="${FONT}${MUTED}font-size:13px;">${escapeHtml(`${formatCount(content.windowsWithoutRootCause)} peak windows are not investigated yet and in no problem.`)}</p>`,
    );
  }
  parts.push(`<h2 style="${H2}">${escapeHtml(`Incidents still open (${formatCount(content.openIncidentTotal)})`)}</h2>`);
  parts.push(
    content.openIncidents.length === 0
      ? `<p style="${FONT}">None.</p>`
      : table(
          ["Incident", "Namespace", "Since", "Errors", "State"],
          content.openIncidents.map((incident) => [
            link(incident.url, `#${incident.id}`),
            escapeHtml(incident.namespace),
            escapeHtml(formatDateTime(incident.start, tz)),
            escapeHtml(formatCount(incident.errors)),
            escapeHtml(describeIncidentState(incident, tz)),
          ]),
        ) + more(content.openIncidents.length, content.openIncidentTotal),
  );
  parts.push(`<h2 style="${H2}">${escapeHtml(`Releases (${formatCount(content.newVersionTotal)} new versions)`)}</h2>`);
  if (content.releaseFindings.length > 0) {
    parts.push(
      `<ul style="${FONT}font-size:13px;">${content.releaseFindings.map((finding) => `<li>${escapeHtml(`${finding.problemId}: ${finding.text}`)}</li>`).join("")}</ul>`,
    );
  }
  parts.push(
    content.newVersions.length === 0
      ? `<p style="${FONT}">No version first seen in this period.</p>`
      : table(
          ["Namespace", "Version", "First seen", "Errors so far"],
          content.newVersions.map((version) => [
            escapeHtml(version.namespace),
            escapeHtml(version.version),
            escapeHtml(formatDateTime(version.firstSeen, tz)),
            escapeHtml(describeVersionErrors(version)),
          ]),
        ) + more(content.newVersions.length, content.newVersionTotal),
  );
  parts.push(`<h2 style="${H2}">${escapeHtml(`Data gaps (${content.dataGaps.length})`)}</h2>`);
  parts.push(
    content.dataGaps.length === 0
      ? `<p style="${FONT}">None: the data of this period is complete as far as the runs could tell.</p>`
      : `<ul style="${FONT}font-size:13px;">${content.dataGaps.map((gap) => `<li>${escapeHtml(describeDataGap(gap, tz))}</li>`).join("")}</ul>`,
  );
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(
    `Daily digest of ${content.date}`,
  )}</title></head><body style="margin:0;padding:16px;background:#ffffff;color:#111827;">${parts.join("")}</body></html>`;
}

/** The e-mail's plain-text part. */
export function digestText(content: DigestContent): string {
  const tz = content.timeZone;
  const lines = [`Daily digest of ${content.date}`, describePeriod(content), "", content.headline, `Report: ${content.url}`, ""];
  lines.push(content.problems.length > 0 ? `Top ${content.problems.length} of ${content.problemTotal} problems:` : "No problem in this period.");
  for (const problem of content.problems) {
    lines.push(`${problem.rank}. ${problemTitle(problem)}`);
    lines.push(`   ${problem.errorType}; ${describeTrend(problem.trend)}; ${describeScope(problem.scope)}; ${problem.namespaces.join(", ")}`);
    lines.push(`   known issue: ${describeKnownIssue(problem.knownIssue)}; ${problem.url}`);
    for (const finding of problem.versionFindings) lines.push(`   ${finding.text}`);
  }
  lines.push("", `Incidents still open: ${content.openIncidentTotal}`);
  for (const incident of content.openIncidents)
    lines.push(`- #${incident.id} ${incident.namespace} since ${formatDateTime(incident.start, tz)}: ${describeIncidentState(incident, tz)}`);
  lines.push("", `New versions: ${content.newVersionTotal}`);
  for (const version of content.newVersions) lines.push(`- ${version.namespace} ${version.version}, first seen ${formatDateTime(version.firstSeen, tz)}`);
  lines.push("", `Data gaps: ${content.dataGaps.length}`);
  for (const gap of content.dataGaps) lines.push(`- ${describeDataGap(gap, tz)}`);
  return `${lines.join("\n")}\n`;
}
