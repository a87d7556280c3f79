"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { PatternTrendChart, formatDayLabel } from "@/components/charts/pattern-trend-chart";
import { NamespaceOccurrences } from "@/components/patterns/namespace-occurrences";
import { PatternPeaksTable } from "@/components/patterns/pattern-peaks-table";
import { WhyGroupedCard } from "@/components/patterns/why-grouped";
import { MergedAwayNotice } from "@/components/patterns/pattern-rules";
import { TrendLabel, trendSentence } from "@/components/patterns/pattern-trend";
import { Alert } from "@/components/ui/alert";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { PatternDetail } from "@/lib/patterns/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { parsePatternDetailSearch, TREND_DAY_CHOICES, type PatternDetailSearch } from "../search-params";
import { PatternRulesSection } from "./rules-section";

type DailyOccurrences = PatternDetail["series"][number];

const dailyColumns: Column<DailyOccurrences>[] = [
  { key: "day", header: "Day (UTC)", cell: (point) => point.day },
  { key: "occurrences", header: "Occurrences", align: "end", cell: (point) => formatCount(point.occurrences) },
];

export function PatternClient({
  initialPattern,
  initialSearch,
  timeZone,
  canCreateKnownIssue,
  canEditRules,
}: {
  initialPattern: PatternDetail;
  initialSearch: PatternDetailSearch;
  timeZone: string;
  /** Analysts and above: a link to a new known issue started from this pattern. */
  canCreateKnownIssue: boolean;
  /** Analysts and above: merge, split and revert. */
  canEditRules: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  // The chart's days are the page's only state, in the URL.
  const { days } = parsePatternDetailSearch(useSearchParams());
  const hash = initialPattern.hash;
  const query = useQuery({
    queryKey: ["pattern", hash, days],
    queryFn: () => fetchJson<PatternDetail>(`/api/patterns/${encodeURIComponent(hash)}?days=${days}`),
    initialData: days === initialSearch.days ? initialPattern : undefined,
    placeholderData: keepPreviousData,
  });
  // Before the first answer for other days (no placeholder yet), the server's pattern stands in.
  const pattern = query.data ?? initialPattern;
  const total = pattern.series.reduce((sum, point) => sum + point.occurrences, 0);
  const dayChoices = TREND_DAY_CHOICES.some((choice) => choice === days) ? TREND_DAY_CHOICES : [...TREND_DAY_CHOICES, days].sort((left, right) => left - right);

  return (
    <>
      <p className="pattern-back">
        <Link href="/patterns">← All patterns</Link>
      </p>
      <header className="page-header">
        <div>
          <h1>Pattern {pattern.hash}</h1>
          <p>
            {pattern.errorType ? <code>{pattern.errorType}</code> : "No error type"} · seen in {formatCount(pattern.namespaces.length)}{" "}
            {pattern.namespaces.length === 1 ? "namespace" : "namespaces"}. Times in {timeZone}.
          </p>
        </div>
      </header>
      {query.isError ? <Alert tone="error">Could not refresh the pattern: {query.error.message}</Alert> : null}
      {pattern.mergedInto ? (
        <MergedAwayNotice
          mergedInto={pattern.mergedInto}
          hasSplitRule={pattern.rules.some((rule) => rule.kind === "split" && rule.child?.hash === pattern.hash)}
        />
      ) : null}

      <section className="card" aria-labelledby="pattern-template">
        <h2 id="pattern-template">Template</h2>
        <pre className="pattern-pre">{pattern.template}</pre>
        <dl className="facts">
          <dt>Occurrences</dt>
          <dd>{formatCount(pattern.occurrences)}</dd>
          <dt>First seen</dt>
          <dd>{formatDateTime(pattern.firstSeen, timeZone)}</dd>
          <dt>Last seen</dt>
          <dd>{formatDateTime(pattern.lastSeen, timeZone)}</dd>
          <dt>Trend</dt>
          <dd>
            <TrendLabel trend={pattern.trend} /> <span className="muted">({trendSentence(pattern.trend, pattern.window.days)})</span>
          </dd>
          <dt>Peaks</dt>
          <dd>{formatCount(pattern.peakCount)}</dd>
        </dl>
      </section>

      <WhyGroupedCard sample={pattern.whyGrouped} />

      <section className="card pattern-section" aria-labelledby="pattern-daily" aria-busy={query.isFetching}>
        <div className="pattern-section-head">
          <h2 id="pattern-daily">Occurrences per day</h2>
          <div className="field pattern-days">
            <label htmlFor="pattern-days">Days</label>
            <select id="pattern-days" value={days} onChange={(event) => router.replace(`${pathname}?days=${event.target.value}`, { scroll: false })}>
              {dayChoices.map((choice) => (
                <option key={choice} value={choice}>
                  Last {choice} days
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="muted">
          {formatCount(total)} from {formatDayLabel(pattern.window.from)} to {formatDayLabel(pattern.window.to)} (UTC days).
        </p>
        {total === 0 ? (
          <p className="muted">No occurrence recorded in these days.</p>
        ) : (
          <PatternTrendChart points={pattern.series} title={`Occurrences per day of pattern ${pattern.hash}`} />
        )}
        <details className="pattern-details">
          <summary>Show as a table</summary>
          <DataTable rows={pattern.series} columns={dailyColumns} getRowKey={(point) => point.day} />
        </details>
      </section>

      <div className="grid grid-2 pattern-section">
        <section className="card" aria-labelledby="pattern-namespaces">
          <h2 id="pattern-namespaces">Per namespace</h2>
          {pattern.namespaceOccurrences.length === 0 ? (
            <p className="muted">No occurrence counted yet.</p>
          ) : (
            <NamespaceOccurrences rows={pattern.namespaceOccurrences} />
          )}
        </section>
        <section className="card" aria-labelledby="pattern-examples">
          <h2 id="pattern-examples">Example messages</h2>
          {pattern.examples.length === 0 ? (
            <p className="muted">No example kept.</p>
          ) : (
            <ul className="pattern-examples">
              {pattern.examples.map((example, index) => (
                <li key={index}>
                  <pre className="pattern-pre">{example}</pre>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section className="card pattern-section" aria-labelledby="pattern-known">
        <div className="pattern-known-head">
          <h2 id="pattern-known">Known issues</h2>
          {canCreateKnownIssue ? (
            <Link className="button button-secondary" href={`/known-issues/new?fromPattern=${encodeURIComponent(pattern.hash)}`}>
              Create known issue from this pattern
            </Link>
          ) : null}
        </div>
        {pattern.knownIssues.length === 0 && pattern.knownPeaks.length === 0 ? (
          <p className="muted">No known issue or resolved incident lists this pattern.</p>
        ) : (
          <ul className="pattern-known">
            {pattern.knownIssues.map((issue) => (
              <li key={`issue-${issue.id}`}>
                <Link href={`/known-issues/${issue.id}`}>{issue.title}</Link> <span className="muted">known issue, {issue.status}</span>
              </li>
            ))}
            {pattern.knownPeaks.map((knownPeak) => (
              <li key={`peak-${knownPeak.id}`}>
                {knownPeak.title} <span className="muted">resolved incident, {formatDateTime(knownPeak.resolvedAt, timeZone)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <PatternRulesSection pattern={pattern} timeZone={timeZone} canEdit={canEditRules} />

      <section className="card pattern-section" aria-labelledby="pattern-peaks">
        <h2 id="pattern-peaks">
          Peaks{" "}
          <span className="muted">
            {pattern.peakCount > pattern.peaks.length
              ? `(newest ${formatCount(pattern.peaks.length)} of ${formatCount(pattern.peakCount)})`
              : `(${formatCount(pattern.peakCount)})`}
          </span>
        </h2>
        {pattern.peaks.length === 0 ? (
          <p className="muted">No investigated peak lists this pattern among its top patterns or root causes.</p>
        ) : (
          <PatternPeaksTable peaks={pattern.peaks} timeZone={timeZone} />
        )}
      </section>
    </>
  );
}
