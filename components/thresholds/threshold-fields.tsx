import { thresholdFields, type ThresholdDraft, type ThresholdField } from "@/lib/thresholds/form";
import { thresholdFieldHelp, type ThresholdValues } from "@/lib/thresholds/contract";
import { formatThresholdValue, readableThresholdValue } from "./readable-value";

type ThresholdFieldsProps = {
  draft: ThresholdDraft;
  /** The typed values when they are all valid: a field that differs from the value in force says so. */
  proposed: ThresholdValues | null;
  inForce: ThresholdValues;
  canEdit: boolean;
  errorOf: (field: ThresholdField) => string | undefined;
  onEdit: (field: ThresholdField, value: string) => void;
  onTouch: (field: ThresholdField) => void;
};

/** One number field per threshold, with its help, its value in words, the value in force and its problem. */
export function ThresholdFields({ draft, proposed, inForce, canEdit, errorOf, onEdit, onTouch }: ThresholdFieldsProps) {
  return (
    <div className="threshold-fields">
      {thresholdFields.map((field) => {
        const error = errorOf(field);
        const help = thresholdFieldHelp[field];
        // Tiny values (tail_probability) are also given as odds: six decimals are hard to count.
        const typed = draft[field].trim();
        const words = typed === "" || error ? null : readableThresholdValue(field, Number(typed));
        return (
          <div className="field" key={field}>
            <label htmlFor={`threshold-${field}`}>{help.label}</label>
            <input
              id={`threshold-${field}`}
              name={field}
              type="number"
              inputMode="decimal"
              step={help.step}
              min={0}
              value={draft[field]}
              readOnly={!canEdit}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${words ? `threshold-${field}-words ` : ""}threshold-${field}-help${error ? ` threshold-${field}-error` : ""}`}
              onChange={(event) => onEdit(field, event.target.value)}
              onBlur={() => onTouch(field)}
            />
            {words ? (
              <span id={`threshold-${field}-words`} className="field-words">
                = {words}
              </span>
            ) : null}
            <span id={`threshold-${field}-help`} className="field-help">
              {help.help} <code>{field}</code>
              {proposed && proposed[field] !== inForce[field] ? <strong> (in force: {formatThresholdValue(field, inForce[field])})</strong> : null}
            </span>
            {error ? (
              <span id={`threshold-${field}-error`} className="field-error">
                {error}
              </span>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
