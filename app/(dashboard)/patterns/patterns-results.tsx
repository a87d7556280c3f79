"use client";

import { PatternsTable } from "@/components/patterns/patterns-table";
import type { PatternPage } from "@/lib/patterns/contract";
import { formatCount } from "@/lib/format";
import { PATTERNS_PAGE_SIZE, type PatternListSearch } from "./search-params";
import { Pager } from "@/components/ui/pager";

type PatternsResultsProps = {
  page: PatternPage;
  /** The 1-based page the URL asks for. */
  pageNumber: number;
  isFetching: boolean;
  /** When the page was fetched (UTC ms): ages are told relative to it. */
  now: number;
  timeZone: string;
  navigate: (changes: Partial<PatternListSearch>) => void;
};

/** One page of patterns with its count and the pager. */
export function PatternsResults({ page, pageNumber, isFetching, now, timeZone, navigate }: PatternsResultsProps) {
  return (
    <section className="card table-card patterns-results" aria-labelledby="patterns-heading" aria-busy={isFetching}>
      <div className="patterns-list-head">
        <h2 id="patterns-heading">
          {formatCount(page.total)} {page.total === 1 ? "pattern" : "patterns"}
          {page.namespace ? <span className="muted"> in {page.namespace} (its counts only)</span> : null}
        </h2>
        <p className="muted" role="status">
          {isFetching ? "Updating…" : `Showing ${formatCount(page.offset + 1)}–${formatCount(page.offset + page.patterns.length)}`}
        </p>
      </div>
      <PatternsTable patterns={page.patterns} window={page.window} timeZone={timeZone} now={now} />
      <Pager
        label="Pages of patterns"
        page={pageNumber}
        pages={Math.ceil(page.total / PATTERNS_PAGE_SIZE)}
        hasNext={page.nextOffset !== null}
        onPage={(number) => navigate({ page: number })}
      />
    </section>
  );
}
