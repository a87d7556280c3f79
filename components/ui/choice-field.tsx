export type ChoiceFieldProps = {
  id: string;
  label: string;
  value: string;
  /** The values offered after the first choice, shown as they are. */
  values: readonly string[];
  /** The first choice, the empty value: no filter ("All namespaces"). */
  allLabel: string;
  onChange: (value: string) => void;
};

/** A labelled drop-down of plain values that starts with an "all" choice, for a list's filters. */
export function ChoiceField({ id, label, value, values, allLabel, onChange }: ChoiceFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{allLabel}</option>
        {values.map((item) => (
          <option key={item} value={item}>
            {item}
          </option>
        ))}
      </select>
    </div>
  );
}
