"use client";

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { FormActions } from "@/components/ui/form-actions";
import {
  formErrorsFromIssues,
  hasErrors,
  listFields,
  scalarFields,
  validateKnownIssueForm,
  type KnownIssueBody,
  type KnownIssueFormErrors,
  type KnownIssueFormMode,
  type KnownIssueFormValues,
  type ListField,
  type ScalarField,
} from "@/lib/known-issues/form";
import { ApiError } from "@/lib/http/fetch-json";

type KnownIssueFormProps = {
  mode: KnownIssueFormMode;
  /** Prefix of the inputs' ids, unique on the page. */
  idPrefix: string;
  values: KnownIssueFormValues;
  onChange: (values: KnownIssueFormValues) => void;
  /** Current templates of pattern ids the API knows; ids typed by hand are shown as they are. */
  templates: Readonly<Record<string, string | null>>;
  /** The failed save, if any; its field issues are shown under their fields. */
  serverError: Error | null;
  isSubmitting: boolean;
  submitLabel: string;
  /** Called with the body to send once the form passes the API's own schema. */
  onSubmit: (body: KnownIssueBody) => void;
  onCancel?: () => void;
};

const fieldId = (prefix: string, field: ScalarField | ListField) => `${prefix}-${field}`;
const rowId = (prefix: string, field: ListField, row: number) => `${prefix}-${field}-${row}`;

/** The id of the first input to fix, in the order the form shows them. */
function firstInvalidId(prefix: string, errors: KnownIssueFormErrors): string | null {
  if (errors.fields.title) return fieldId(prefix, "title");
  for (const field of listFields) {
    const rows = Object.keys(errors.rows[field]).map(Number);
    if (rows.length > 0) return rowId(prefix, field, Math.min(...rows));
    if (errors.fields[field]) return `${fieldId(prefix, field)}-add`;
  }
  const field = scalarFields.find((candidate) => errors.fields[candidate]);
  return field ? fieldId(prefix, field) : null;
}

function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === "string");
  return present.length > 0 ? present.join(" ") : undefined;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

type TextFieldProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  hint?: ReactNode;
  isMultiline?: boolean;
  isRequired?: boolean;
  inputMode?: "text" | "url";
  placeholder?: string;
};

function TextField({ id, label, value, onChange, error, hint, isMultiline = false, isRequired = false, inputMode, placeholder }: TextFieldProps) {
  const common = {
    id,
    value,
    placeholder,
    "aria-invalid": error ? true : undefined,
    "aria-required": isRequired || undefined,
    "aria-describedby": describedBy(hint ? `${id}-hint` : null, error ? `${id}-error` : null),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {isMultiline ? (
        <textarea {...common} rows={4} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type="text" inputMode={inputMode} onChange={(event) => onChange(event.target.value)} />
      )}
      {hint ? (
        <p id={`${id}-hint`} className="ki-hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

type RowListProps = {
  idPrefix: string;
  field: ListField;
  legend: string;
  rowLabel: string;
  addLabel: string;
  placeholder: string;
  rows: readonly string[];
  errors: KnownIssueFormErrors;
  onChange: (rows: string[]) => void;
  describeRow?: (value: string) => ReactNode;
};

/** A list of one-line values: add, edit and remove rows, each with its own label and error. */
function RowList({ idPrefix, field, legend, rowLabel, addLabel, placeholder, rows, errors, onChange, describeRow }: RowListProps) {
  const focusRow = useRef<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const listError = errors.fields[field];

  // A row added from the keyboard gets the focus, so that the analyst can type at once.
  useEffect(() => {
    if (focusRow.current === null) return;
    document.getElementById(rowId(idPrefix, field, focusRow.current))?.focus();
    focusRow.current = null;
  });

  return (
    <fieldset className="ki-rows" aria-describedby={listError ? `${fieldId(idPrefix, field)}-error` : undefined}>
      <legend>{legend}</legend>
      {rows.length > 0 ? (
        <ol className="ki-row-list">
          {rows.map((value, index) => {
            const id = rowId(idPrefix, field, index);
            const error = errors.rows[field][index];
            const description = describeRow?.(value);
            return (
              <li key={index} className="ki-row">
                <div className="ki-row-line">
                  <input
                    id={id}
                    type="text"
                    value={value}
                    placeholder={placeholder}
                    aria-label={`${rowLabel} ${index + 1}`}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={describedBy(description ? `${id}-about` : null, error ? `${id}-error` : null)}
                    spellCheck={false}
                    onChange={(event) => onChange(rows.map((row, position) => (position === index ? event.target.value : row)))}
                  />
                  <button
                    type="button"
                    className="button button-secondary ki-small-button"
                    aria-label={`Remove ${rowLabel.toLowerCase()} ${index + 1}`}
                    onClick={() => {
                      onChange(rows.filter((_row, position) => position !== index));
                      addButton.current?.focus();
                    }}
                  >
                    Remove
                  </button>
                </div>
                {description ? (
                  <div id={`${id}-about`} className="ki-hint">
                    {description}
                  </div>
                ) : null}
                <FieldError id={`${id}-error`} message={error} />
              </li>
            );
          })}
        </ol>
      ) : null}
      <button
        ref={addButton}
        id={`${fieldId(idPrefix, field)}-add`}
        type="button"
        className="button button-secondary ki-small-button"
        onClick={() => {
          focusRow.current = rows.length;
          onChange([...rows, ""]);
        }}
      >
        {addLabel}
      </button>
      <FieldError id={`${fieldId(idPrefix, field)}-error`} message={listError} />
    </fieldset>
  );
}

/**
 * Title, matcher (pattern ids and regexes), scope, description and link of a known issue, for
 * creating one and for editing one. Controlled, so that the page can preview the matcher live.
 * Checked with the API's own schema before it is sent; the API's refusals land on their fields.
 */
export function KnownIssueForm({
  mode,
  idPrefix,
  values,
  onChange,
  templates,
  serverError,
  isSubmitting,
  submitLabel,
  onSubmit,
  onCancel,
}: KnownIssueFormProps) {
  const [hasTriedToSubmit, setHasTriedToSubmit] = useState(false);
  const validation = validateKnownIssueForm(values, mode);
  const serverIssues = serverError instanceof ApiError ? serverError.issues : [];
  // Once a save was attempted the form's own errors follow the typing; the API's stay until the next change.
  const errors = (hasTriedToSubmit ? validation.errors : null) ?? formErrorsFromIssues(serverIssues, validation.draft);
  const hasFieldErrors = hasErrors({ ...errors, form: [] });

  // Only a new refusal moves the focus (to its first field), not the typing that follows it.
  const focusedRefusal = useRef<Error | null>(null);
  useEffect(() => {
    if (serverError === focusedRefusal.current) return;
    focusedRefusal.current = serverError;
    if (!(serverError instanceof ApiError) || serverError.issues.length === 0) return;
    const id = firstInvalidId(idPrefix, formErrorsFromIssues(serverError.issues, validateKnownIssueForm(values, mode).draft));
    if (id) document.getElementById(id)?.focus();
  }, [serverError, idPrefix, values, mode]);

  function set<Field extends keyof KnownIssueFormValues>(field: Field, value: KnownIssueFormValues[Field]) {
    onChange({ ...values, [field]: value });
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setHasTriedToSubmit(true);
    if (validation.errors) {
      const id = firstInvalidId(idPrefix, validation.errors);
      if (id) document.getElementById(id)?.focus();
      return;
    }
    onSubmit(validation.draft.input);
  }

  const formMessages = [...errors.form, ...(serverError && serverIssues.length === 0 ? [serverError.message] : [])];

  return (
    <form className="form ki-form" onSubmit={handleSubmit} noValidate aria-busy={isSubmitting}>
      {hasFieldErrors || formMessages.length > 0 ? (
        <Alert tone="error" as="div">
          {formMessages.map((message) => (
            <p key={message} className="ki-alert-line">
              {message}
            </p>
          ))}
          {hasFieldErrors ? <p className="ki-alert-line">Some fields need fixing: see the messages below them.</p> : null}
        </Alert>
      ) : null}
      <TextField
        id={fieldId(idPrefix, "title")}
        label="Title"
        value={values.title}
        onChange={(value) => set("title", value)}
        error={errors.fields.title}
        isRequired
      />
      <div className="ki-matcher">
        <p className="ki-hint">
          A peak matches when one of its root-cause patterns has one of these ids, or when a regular expression (RE2 syntax, case-insensitive; no backreferences
          or lookaround) finds its example message or template. Give at least one of either.
        </p>
        <RowList
          idPrefix={idPrefix}
          field="patternIds"
          legend="Pattern ids"
          rowLabel="Pattern id"
          addLabel="Add pattern id"
          placeholder="e.g. 3f9a1c0b2d4e5f60"
          rows={values.patternIds}
          errors={errors}
          onChange={(rows) => set("patternIds", rows)}
          describeRow={(value) => {
            const template = templates[value.trim()];
            if (template === undefined) return null;
            return template === null ? <span className="muted">no longer among the stored patterns</span> : <code className="ki-template">{template}</code>;
          }}
        />
        <RowList
          idPrefix={idPrefix}
          field="regexes"
          legend="Regular expressions"
          rowLabel="Regex"
          addLabel="Add regex"
          placeholder="e.g. connection refused .* orders-db"
          rows={values.regexes}
          errors={errors}
          onChange={(rows) => set("regexes", rows)}
        />
      </div>
      <fieldset className="ki-scope">
        <legend>Scope</legend>
        <p className="ki-hint">Leave both empty to match in every namespace and app.</p>
        <div className="ki-scope-fields">
          <TextField
            id={fieldId(idPrefix, "namespace")}
            label="Namespace"
            value={values.namespace}
            onChange={(value) => set("namespace", value)}
            error={errors.fields.namespace}
          />
          <TextField
            id={fieldId(idPrefix, "appName")}
            label="App"
            value={values.appName}
            onChange={(value) => set("appName", value)}
            error={errors.fields.appName}
          />
        </div>
      </fieldset>
      <TextField
        id={fieldId(idPrefix, "description")}
        label="Description (optional)"
        value={values.description}
        onChange={(value) => set("description", value)}
        error={errors.fields.description}
        isMultiline
      />
      <TextField
        id={fieldId(idPrefix, "link")}
        label="Link (optional)"
        value={values.link}
        onChange={(value) => set("link", value)}
        error={errors.fields.link}
        inputMode="url"
        placeholder="https://…"
        hint="A ticket or runbook, as an http(s) address."
      />
      <FormActions
        className="ki-actions"
        submitLabel={submitLabel}
        pendingLabel="Saving…"
        isPending={isSubmitting}
        isCancelLockedWhilePending
        onCancel={onCancel}
      />
    </form>
  );
}
