"use client";

import { Alert } from "@/components/ui/alert";
import { BACKTEST_DAY_CHOICES } from "./search-params";

type ThresholdSaveControlsProps = {
  comment: string;
  onCommentChange: (comment: string) => void;
  days: number;
  onDaysChange: (days: number) => void;
  canBacktest: boolean;
  isBacktesting: boolean;
  onBacktest: () => void;
  backtestError: Error | null;
  canSave: boolean;
  isSaving: boolean;
  isUnchanged: boolean;
  isTestCurrent: boolean;
};

/** An admin's comment, the backtest's length and button, and saving, which waits for a backtest of the values as they stand. */
export function ThresholdSaveControls(props: ThresholdSaveControlsProps) {
  const { comment, onCommentChange, days, onDaysChange, isBacktesting, isSaving, isUnchanged, isTestCurrent, backtestError } = props;
  return (
    <>
      <div className="field">
        <label htmlFor="threshold-comment">Why (saved with the version)</label>
        <input
          id="threshold-comment"
          value={comment}
          maxLength={500}
          onChange={(event) => onCommentChange(event.target.value)}
          placeholder="e.g. fewer alerts for small namespaces"
        />
      </div>
      <div className="threshold-actions">
        <div className="field field-inline">
          <label htmlFor="backtest-days">Backtest over the last</label>
          <select id="backtest-days" value={days} onChange={(event) => onDaysChange(Number(event.target.value))}>
            {[...new Set([...BACKTEST_DAY_CHOICES, days])]
              .sort((left, right) => left - right)
              .map((choice) => (
                <option key={choice} value={choice}>
                  {choice} {choice === 1 ? "day" : "days"}
                </option>
              ))}
          </select>
        </div>
        <button type="button" className="button button-secondary" disabled={!props.canBacktest || isBacktesting} onClick={props.onBacktest}>
          {isBacktesting ? "Backtesting…" : "Backtest"}
        </button>
        <button type="submit" className="button" disabled={!props.canSave || isSaving} aria-describedby="save-help">
          {isSaving ? "Saving…" : "Save as a new version"}
        </button>
      </div>
      <p id="save-help" className="muted field-help">
        {isUnchanged
          ? "These are the values in force."
          : isTestCurrent
            ? "The backtest below shows these values; saving makes them the next version."
            : "Backtest these values before saving them."}
      </p>
      {backtestError ? (
        <Alert tone="error" as="div">
          {backtestError.message}
        </Alert>
      ) : null}
    </>
  );
}
