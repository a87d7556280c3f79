"use client";

import Link from "next/link";
import type { FormEvent, ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { formatCount } from "@/lib/format";
import type { NamespaceCounts, NamespaceList, NamespaceSort } from "@/lib/namespaces/contract";
import type { NamespaceListSearch } from "./namespace-list-search";
import { NamespaceListTable, type NamespaceListView } from "./namespace-list-table";
import { useNamespaceList } from "./use-namespace-list";
import { SearchField } from "@/components/ui/search-field";
import { Pager } from "@/components/ui/pager";

const SORT_LABELS: Record<NamespaceSort, string> = {
  attention: "Needing attention first",
  deviation: "Furthest above threshold",
  name: "Name",
};

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** "12 of 1,000 namespaces need attention: 3 above threshold now, 5 with an ongoing incident, 4 stale." */
function describeCounts(counts: NamespaceCounts): string {
  const reasons = [
    counts.above > 0 ? `${formatCount(counts.above)} above threshold now` : null,
    counts.withIncidents > 0 ? `${formatCount(counts.withIncidents)} with an ongoing incident` : null,
    counts.stale > 0 ? `${formatCount(counts.stale)} with data further behind than a source may be` : null,
  ].filter((reason): reason is string => reason !== null);
  if (counts.needingAttention === 0) return `None of ${plural(counts.total, "namespace", "namespaces")} needs attention now.`;
  return `${formatCount(counts.needingAttention)} of ${plural(counts.total, "namespace", "namespaces")} ${counts.needingAttention === 1 ? "needs" : "need"} attention: ${reasons.join(", ")}.`;
}

/**
 * The namespaces, paged on the server, with search, sort and the counts of those calling for
 * attention; `view` picks the columns (see NamespaceListView). Its state is in the page's URL.
 */
export function NamespaceListCard({
  initialList,
  initialSearch,
  renderedAt,
  pageSize,
  view,
  timeZone,
  title,
  headerLink,
  note,
}: {
  /** The first page as the server read it; null: the browser reads it (see useNamespaceList). */
  initialList: NamespaceList | null;
  initialSearch: NamespaceListSearch;
  renderedAt: number;
  pageSize: number;
  view: NamespaceListView;
  timeZone: string;
  title: string;
  headerLink?: { href: string; label: string };
  note: ReactNode;
}) {
  const { search, list, navigate, text, setText, submitText } = useNamespaceList({ initialList, initialSearch, renderedAt, pageSize });
  const page = list.data;
  const headingId = `namespace-list-${view}-heading`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    submitText();
  };
  const pages = page ? Math.max(1, Math.ceil(page.matching / pageSize)) : 1;
  // Busy while another page or search loads, not while the page shown refreshes in the background.
  const isChanging = list.isFetching && list.isPlaceholderData;
  return (
    <section className="card namespaces-card" aria-labelledby={headingId} aria-busy={isChanging}>
      <div className="card-header">
        <h2 id={headingId}>{title}</h2>
        {headerLink ? <Link href={headerLink.href}>{headerLink.label}</Link> : null}
      </div>
      {page ? <p className="namespace-counts">{describeCounts(page.counts)}</p> : null}
      <p className="muted card-note">{note}</p>
      <form className="namespace-controls" role="search" aria-label="Find namespaces" onSubmit={submit}>
        <SearchField
          id={`${headingId}-q`}
          fieldClassName="namespace-search"
          label="Search"
          value={text}
          onChange={setText}
          placeholder="Part of a namespace's name"
          maxLength={200}
        />
        <div className="field">
          <label htmlFor={`${headingId}-sort`}>Sort by</label>
          <select id={`${headingId}-sort`} value={search.sort} onChange={(event) => navigate({ sort: event.target.value as NamespaceSort })}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {list.isError ? <Alert tone="error">Could not load the namespaces: {list.error.message}</Alert> : null}
      {!page ? (
        <p className="muted">Loading namespaces…</p>
      ) : page.rows.length === 0 ? (
        <p className="muted">
          {page.counts.total === 0
            ? "No namespace has stored windows yet."
            : page.matching === 0
              ? `No namespace's name holds “${page.q}”.`
              : "No namespace on this page: the list is shorter now."}
        </p>
      ) : (
        <>
          <p className="muted namespace-range" role="status">
            {isChanging
              ? "Updating…"
              : `Showing ${formatCount(page.offset + 1)}–${formatCount(page.offset + page.rows.length)} of ${plural(page.matching, "namespace", "namespaces")}${page.q ? ` matching “${page.q}”` : ""}`}
          </p>
          <NamespaceListTable rows={page.rows} view={view} now={Date.parse(page.readAt)} timeZone={timeZone} labelledBy={headingId} />
        </>
      )}
      {page ? (
        <Pager
          label={`Pages of ${title.toLowerCase()}`}
          page={search.page}
          pages={pages}
          hasNext={page.nextOffset !== null}
          onPage={(number) => navigate({ page: number })}
        />
      ) : null}
    </section>
  );
}
