"use client";

import type { FormEvent } from "react";
import { ChoiceField } from "@/components/ui/choice-field";
import type { PatternFilters } from "@/lib/patterns/contract";
import { TREND_DAY_CHOICES, type PatternListSearch } from "./search-params";
import { SearchField } from "@/components/ui/search-field";

const SORT_LABELS: Record<PatternListSearch["sort"], string> = {
  last_seen: "Last seen",
  occurrences: "Most occurrences",
  first_seen: "Newest patterns",
  trend: "Rising most",
};

/** The options of a filter, keeping a value from the URL that the list does not hold (any more). */
function optionsWith(values: readonly string[], current: string): string[] {
  return current && !values.includes(current) ? [current, ...values] : [...values];
}

type PatternsFiltersProps = {
  search: PatternListSearch;
  filters: PatternFilters;
  text: string;
  onTextChange: (text: string) => void;
  onSubmitText: () => void;
  navigate: (changes: Partial<PatternListSearch>) => void;
  onClear: () => void;
};

/** Search, namespace, error type, sort and trend length of the patterns list. */
export function PatternsFilters({ search, filters, text, onTextChange, onSubmitText, navigate, onClear }: PatternsFiltersProps) {
  const hasFilters = search.q !== "" || search.namespace !== "" || search.type !== "";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitText();
  };
  return (
    <form className="card patterns-filters" role="search" aria-label="Filter patterns" onSubmit={submit}>
      <SearchField
        id="patterns-q"
        fieldClassName="patterns-search"
        label="Search"
        value={text}
        onChange={onTextChange}
        placeholder="Template, error type or pattern id"
        maxLength={200}
      />
      <ChoiceField
        id="patterns-namespace"
        label="Namespace"
        value={search.namespace}
        values={optionsWith(filters.namespaces, search.namespace)}
        allLabel="All namespaces"
        onChange={(namespace) => navigate({ namespace })}
      />
      <ChoiceField
        id="patterns-type"
        label="Error type"
        value={search.type}
        values={optionsWith(filters.errorTypes, search.type)}
        allLabel="All types"
        onChange={(type) => navigate({ type })}
      />
      <div className="field">
        <label htmlFor="patterns-sort">Sort by</label>
        <select id="patterns-sort" value={search.sort} onChange={(event) => navigate({ sort: event.target.value as PatternListSearch["sort"] })}>
          {Object.entries(SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="patterns-days">Trend over</label>
        <select id="patterns-days" value={search.days} onChange={(event) => navigate({ days: Number(event.target.value) })}>
          {optionsWith(TREND_DAY_CHOICES.map(String), String(search.days)).map((days) => (
            <option key={days} value={days}>
              {days} days
            </option>
          ))}
        </select>
      </div>
      {hasFilters ? (
        <button type="button" className="button button-secondary patterns-clear" onClick={onClear}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
