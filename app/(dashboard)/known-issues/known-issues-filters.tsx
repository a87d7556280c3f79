"use client";

import { statusFilters, type KnownIssuesSearch, type StatusFilter } from "./search-params";
import { SearchField } from "@/components/ui/search-field";

const STATUS_LABELS: Record<StatusFilter, string> = { all: "All", active: "Active", resolved: "Resolved" };

/** The search box and status filter of the known issues list, with a way back to every issue. */
export function KnownIssuesFilters({
  search,
  text,
  onTextChange,
  onShow,
}: {
  search: KnownIssuesSearch;
  text: string;
  onTextChange: (text: string) => void;
  onShow: (search: KnownIssuesSearch) => void;
}) {
  const isFiltered = search.status !== "all" || search.q !== "";
  return (
    <form className="ki-filters" role="search" aria-label="Filter known issues" onSubmit={(event) => event.preventDefault()}>
      <SearchField
        id="known-issues-q"
        label="Search"
        value={text}
        onChange={onTextChange}
        maxLength={200}
        placeholder="title, description, namespace, #id or exact pattern id"
      />
      <div className="field">
        <label htmlFor="known-issues-status">Status</label>
        <select
          id="known-issues-status"
          value={search.status}
          onChange={(event) => onShow({ ...search, q: text.trim(), status: event.target.value as StatusFilter, page: 1 })}
        >
          {statusFilters.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      {isFiltered ? (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            onTextChange("");
            onShow({ status: "all", q: "", page: 1 });
          }}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
