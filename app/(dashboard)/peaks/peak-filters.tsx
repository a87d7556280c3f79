import { NamespaceFilter, StatusFieldset, TriageViewButtons } from "@/components/peaks/list-filters";
import { peakSeverities, type PeakSeverity } from "@/lib/peaks/contract";
import { defaultPeaksSearch, isFiltered, type PeaksSearch } from "./search-params";

const LABEL_OPTIONS: { value: PeaksSearch["label"]; text: string }[] = [
  { value: "", text: "Any" },
  { value: "known", text: "Known issue" },
  { value: "regression", text: "Regression" },
  { value: "unknown", text: "Unknown" },
];

function toggled<Value extends string>(values: readonly Value[], value: Value, isOn: boolean, order: readonly Value[]): Value[] {
  const next = new Set(values);
  if (isOn) next.add(value);
  else next.delete(value);
  return order.filter((candidate) => next.has(candidate));
}

/** The timeline's filters; each change shows at once and goes into the URL (`show`). */
export function PeakFilters({ search, show, namespaces }: { search: PeaksSearch; show: (next: PeaksSearch) => void; namespaces: readonly string[] }) {
  const filtered = isFiltered(search);
  return (
    <form className="card pk-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <StatusFieldset statuses={search.status} onChange={(status) => show({ ...search, status })} />
      <fieldset>
        <legend>Severity</legend>
        {peakSeverities.map((severity) => (
          <label key={severity} className="pk-check">
            <input
              type="checkbox"
              checked={search.severity.includes(severity)}
              onChange={(event) => show({ ...search, severity: toggled<PeakSeverity>(search.severity, severity, event.target.checked, peakSeverities) })}
            />
            {severity}
          </label>
        ))}
      </fieldset>
      <NamespaceFilter value={search.namespace} namespaces={namespaces} onChange={(namespace) => show({ ...search, namespace })} />
      <div className="field">
        <label htmlFor="filter-label">Label</label>
        <select id="filter-label" value={search.label} onChange={(event) => show({ ...search, label: event.target.value as PeaksSearch["label"] })}>
          {LABEL_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.text}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-from">From day</label>
        <input
          id="filter-from"
          type="date"
          value={search.from}
          max={search.to || undefined}
          onChange={(event) => show({ ...search, from: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To day (included)</label>
        <input id="filter-to" type="date" value={search.to} min={search.from || undefined} onChange={(event) => show({ ...search, to: event.target.value })} />
      </div>
      <TriageViewButtons
        statuses={search.status}
        isDefaultView={!filtered}
        onNeedsTriage={() => show(defaultPeaksSearch)}
        onEveryStatus={() => show({ ...search, status: [] })}
      />
    </form>
  );
}
