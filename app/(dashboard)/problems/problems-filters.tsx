"use client";

import type { FormEvent } from "react";
import { SearchField } from "@/components/ui/search-field";
import { problemScopes } from "@/lib/problems/contract";
import { describePeriod, PROBLEM_PERIOD_CHOICES, scopeWords } from "@/lib/problems/words";
import { hasProblemFilters, knownChoices, type KnownChoice, type ProblemListSearch } from "./search-params";

const KNOWN_LABELS: Record<KnownChoice, string> = { "": "Known or not", unknown: "Without a known issue", known: "With a known issue" };

type ProblemsFiltersProps = {
  search: ProblemListSearch;
  text: string;
  onTextChange: (text: string) => void;
  onSubmitText: () => void;
  navigate: (changes: Partial<ProblemListSearch>) => void;
  onClear: () => void;
};

/** Period, search, scope and known issue of the Problems list. */
export function ProblemsFilters({ search, text, onTextChange, onSubmitText, navigate, onClear }: ProblemsFiltersProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmitText();
  };
  return (
    <form className="card problems-filters" role="search" aria-label="Filter problems" onSubmit={submit}>
      <div className="field">
        <label htmlFor="problems-since">Period</label>
        <select id="problems-since" value={search.since} onChange={(event) => navigate({ since: event.target.value as ProblemListSearch["since"] })}>
          {PROBLEM_PERIOD_CHOICES.map((since) => (
            <option key={since} value={since}>
              Last {describePeriod(since)}
            </option>
          ))}
        </select>
      </div>
      <SearchField
        id="problems-q"
        fieldClassName="problems-search"
        label="Search"
        value={text}
        onChange={onTextChange}
        placeholder="Template, error type, namespace, app or id"
        maxLength={200}
      />
      <div className="field">
        <label htmlFor="problems-scope">Scope</label>
        <select id="problems-scope" value={search.scope} onChange={(event) => navigate({ scope: event.target.value as ProblemListSearch["scope"] })}>
          <option value="">Any scope</option>
          {problemScopes.map((scope) => (
            <option key={scope} value={scope}>
              {scopeWords[scope]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="problems-known">Known issue</label>
        <select id="problems-known" value={search.known} onChange={(event) => navigate({ known: event.target.value as KnownChoice })}>
          {knownChoices.map((choice) => (
            <option key={choice} value={choice}>
              {KNOWN_LABELS[choice]}
            </option>
          ))}
        </select>
      </div>
      {hasProblemFilters(search) ? (
        <button type="button" className="button button-secondary problems-clear" onClick={onClear}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
