import { KnownIssueStatusBadge } from "@/components/known-issues/known-issue-status-badge";
import type { KnownIssueDetail } from "@/lib/known-issues/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { describeScope } from "@/lib/known-issues/form";
import { userRegexProblem } from "@/lib/pipeline/user-regex";

/**
 * A regex saved before matching moved to the linear-time engine may be one that engine refuses:
 * it is kept but never matches, which the page says rather than letting it fail silently.
 */
function RefusedRegexHint({ regex, editable }: { regex: string; editable: boolean }) {
  const problem = userRegexProblem(regex);
  if (problem === null) return null;
  return (
    <div className="field-error">
      Never matches: {problem}.{editable ? " Edit the issue to replace it." : ""}
    </div>
  );
}

/** What a known issue is: its status, scope, matchers, description, link and history. */
export function KnownIssueFacts({ issue, timeZone }: { issue: KnownIssueDetail; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="issue-facts">
      <h2 id="issue-facts">Facts</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <KnownIssueStatusBadge status={issue.status} />
        </dd>
        <dt>Scope</dt>
        <dd>{describeScope(issue.namespace, issue.appName)}</dd>
        <dt>Pattern ids</dt>
        <dd>
          {issue.patterns.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="ki-plain-list">
              {issue.patterns.map((pattern) => (
                <li key={pattern.patternId}>
                  <code>{pattern.patternId}</code>
                  <div className="ki-hint ki-template">{pattern.template ?? "no longer among the stored patterns"}</div>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Regexes</dt>
        <dd>
          {issue.regexes.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="ki-plain-list">
              {issue.regexes.map((regex) => (
                <li key={regex}>
                  <code>{regex}</code>
                  <RefusedRegexHint regex={regex} editable={issue.status === "active"} />
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Description</dt>
        <dd className="ki-prose">{issue.description ?? <span className="muted">—</span>}</dd>
        <dt>Link</dt>
        <dd className="ki-break">
          {issue.link ? (
            <a href={issue.link} target="_blank" rel="noreferrer">
              {issue.link}
            </a>
          ) : (
            <span className="muted">—</span>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          {formatDateTime(issue.createdAt, timeZone)}
          {issue.createdBy ? ` by ${issue.createdBy}` : ""}
        </dd>
        <dt>Last changed</dt>
        <dd>{formatDateTime(issue.updatedAt, timeZone)}</dd>
        <dt>Matched</dt>
        <dd>
          {formatCount(issue.matchedPeaks)} {issue.matchedPeaks === 1 ? "peak" : "peaks"}
          {issue.lastMatchedAt ? `, last ${formatDateTime(issue.lastMatchedAt, timeZone)}` : ""}
        </dd>
      </dl>
    </section>
  );
}
