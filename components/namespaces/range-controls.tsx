"use client";

import { useState, type FormEvent } from "react";

export type RangeControlsProps<Preset extends string> = {
  presets: readonly { value: Preset; label: string; description: string }[];
  /** The pressed preset; null while a fixed range (zoom or custom) is shown. */
  activePreset: Preset | null;
  /** The preset "Reset zoom" returns to, shown while a fixed range is. */
  resetPreset: { value: Preset; description: string } | null;
  /** The shown range as datetime-local values in the dashboard's timezone. */
  fromValue: string;
  toValue: string;
  timeZone: string;
  onPreset: (preset: Preset) => void;
  /** Checks and applies the typed range; answers with the field to fix and why, or null when applied. */
  onCustom: (fromValue: string, toValue: string) => { field: "from" | "to"; message: string } | null;
  onReset: () => void;
};

/** Range presets as a button group, a custom from/to in the dashboard's timezone, and "Reset zoom". */
export function RangeControls<Preset extends string>({
  presets,
  activePreset,
  resetPreset,
  fromValue,
  toValue,
  timeZone,
  onPreset,
  onCustom,
  onReset,
}: RangeControlsProps<Preset>) {
  const [from, setFrom] = useState(fromValue);
  const [to, setTo] = useState(toValue);
  const [problem, setProblem] = useState<{ field: "from" | "to"; message: string } | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(onCustom(from, to));
  };

  return (
    <section className="card range-controls" aria-label="Range">
      <div className="range-presets" role="group" aria-label="Range presets">
        {presets.map((preset) => (
          <button
            key={preset.value}
            type="button"
            className="button button-secondary"
            aria-pressed={preset.value === activePreset}
            title={preset.description}
            onClick={() => onPreset(preset.value)}
          >
            {preset.label}
          </button>
        ))}
      </div>
      <form className="range-custom" onSubmit={submit} noValidate aria-label="Custom range">
        <div className="field">
          <label htmlFor="range-from">From</label>
          <input
            id="range-from"
            type="datetime-local"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            aria-invalid={problem?.field === "from" ? true : undefined}
            aria-describedby={problem?.field === "from" ? "range-problem range-zone" : "range-zone"}
          />
        </div>
        <div className="field">
          <label htmlFor="range-to">To</label>
          <input
            id="range-to"
            type="datetime-local"
            value={to}
            onChange={(event) => setTo(event.target.value)}
            aria-invalid={problem?.field === "to" ? true : undefined}
            aria-describedby={problem?.field === "to" ? "range-problem range-zone" : "range-zone"}
          />
        </div>
        <button type="submit" className="button button-secondary">
          Apply
        </button>
        <span id="range-zone" className="muted range-zone">
          in {timeZone}
        </span>
      </form>
      {resetPreset ? (
        <button type="button" className="button" onClick={onReset} title={`Back to ${resetPreset.description}`}>
          Reset zoom
        </button>
      ) : null}
      {problem ? (
        <p id="range-problem" className="field-error range-problem" role="alert">
          {problem.field === "from" ? "From" : "To"}: {problem.message}
        </p>
      ) : null}
    </section>
  );
}
