import { peakStatuses, type PeakStatus } from "@/lib/peaks/contract";
import { isEveryStatus, toggleStatus } from "@/lib/peaks/status-filter";
import { statusLabels } from "@/lib/peaks/words";

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
