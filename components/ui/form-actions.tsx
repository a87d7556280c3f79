import type { Ref } from "react";

export type FormActionsProps = {
  /** The row's class in the page's stylesheet (a wrapping flex row). */
  className?: string;
  submitLabel: string;
  /** Shown on the submit button while the form is being sent. */
  pendingLabel?: string;
  isPending?: boolean;
  /** The submit button is off for another reason than sending (nothing to submit yet). */
  isDisabled?: boolean;
  /** Without it there is no Cancel button. */
  onCancel?: () => void;
  /** Cancel is off while the form is being sent, when cancelling then would lose the answer. */
  isCancelLockedWhilePending?: boolean;
  submitRef?: Ref<HTMLButtonElement>;
};

/** A form's submit button and, given `onCancel`, its Cancel button. */
export function FormActions({
  className,
  submitLabel,
  pendingLabel = submitLabel,
  isPending = false,
  isDisabled = false,
  onCancel,
  isCancelLockedWhilePending = false,
  submitRef,
}: FormActionsProps) {
  return (
    <div className={className}>
      <button ref={submitRef} className="button" type="submit" disabled={isPending || isDisabled}>
        {isPending ? pendingLabel : submitLabel}
      </button>
      {onCancel ? (
        <button className="button button-secondary" type="button" onClick={onCancel} disabled={isCancelLockedWhilePending && isPending}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
