import { ChoiceField } from "@/components/ui/choice-field";
import { peakStatuses, type PeakStatus } from "@/lib/peaks/contract";
import { isEveryStatus, toggleStatus } from "@/lib/peaks/status-filter";
import { statusLabels } from "@/lib/peaks/words";

// The filters the peak timeline and the incident list share.

/** The status boxes of a list's filters; every box checked when every status is shown. */
export function StatusFieldset({ statuses, onChange }: { statuses: readonly PeakStatus[]; onChange: (statuses: PeakStatus[]) => void }) {
  const everyStatus = isEveryStatus(statuses);
  return (
    <fieldset>
      <legend>Status</legend>
      {peakStatuses.map((status) => (
        <label key={status} className="pk-check">
          <input
            type="checkbox"
            checked={everyStatus || statuses.includes(status)}
            onChange={(event) => onChange(toggleStatus(statuses, status, event.target.checked))}
          />
          {statusLabels[status]}
        </label>
      ))}
    </fieldset>
  );
}

/** The namespace filter; a filtered namespace whose windows have left the store stays choosable. */
export function NamespaceFilter({ value, namespaces, onChange }: { value: string; namespaces: readonly string[]; onChange: (namespace: string) => void }) {
  const options = value !== "" && !namespaces.includes(value) ? [...namespaces, value] : [...namespaces];
  return <ChoiceField id="filter-namespace" label="Namespace" value={value} values={options} allLabel="All" onChange={onChange} />;
}

/** "Needs triage" back to the list's default view, "Every status" to all statuses with the other filters kept. */
export function TriageViewButtons({
  statuses,
  isDefaultView,
  onNeedsTriage,
  onEveryStatus,
}: {
  statuses: readonly PeakStatus[];
  isDefaultView: boolean;
  onNeedsTriage: () => void;
  onEveryStatus: () => void;
}) {
  return (
    <div className="pk-filter-actions">
      <button className="button button-secondary" type="button" onClick={onNeedsTriage} disabled={isDefaultView}>
        Needs triage
      </button>{" "}
      <button className="button button-secondary" type="button" onClick={onEveryStatus} disabled={isEveryStatus(statuses)}>
        Every status
      </button>
    </div>
  );
}
