import type { InputHTMLAttributes } from "react";

export type SearchFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type" | "value" | "onChange"> & {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Classes of the field beside `field` (its width in a row of controls). */
  fieldClassName?: string;
};

/** A labelled search box; what it searches is said by its label and placeholder. The browser's own suggestions are off. */
export function SearchField({ id, label, value, onChange, fieldClassName, ...input }: SearchFieldProps) {
  return (
    <div className={fieldClassName ? `field ${fieldClassName}` : "field"}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={value} onChange={(event) => onChange(event.target.value)} autoComplete="off" {...input} />
    </div>
  );
}
