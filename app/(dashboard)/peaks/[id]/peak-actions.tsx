"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import type { KnownIssueSummary } from "@/lib/db/known-issues";
import type { PeakActionResult, PeakDetail } from "@/lib/db/peak-triage";
import { describeError, fetchJson } from "@/lib/http/fetch-json";
import {
  canApply,
  createKnownIssueFromPeakSchema,
  markFalsePositiveSchema,
  resolvePeakSchema,
  type KnownIssueScope,
  type PeakActionInput,
} from "@/lib/peaks/schema";
import type { NewNormalRecord } from "@/lib/new-normal/schema";
import { ActionPanel, FormButtons, FormError } from "./action-panel";
import { NewNormalPanel } from "./new-normal-panel";

type Panel = "known_issue" | "false_positive" | "resolve" | "new_normal";

/** A triage action done: what to tell the analyst. */
export type ActionOutcome = { action: PeakActionInput["action"]; result: PeakActionResult };

/** Posts one action of POST /api/peaks/[id]/actions. */
function usePeakAction(peakId: number, onDone: (outcome: ActionOutcome) => void) {
  return useMutation({
    mutationFn: (input: PeakActionInput) => fetchJson<PeakActionResult>(`/api/peaks/${peakId}/actions`, { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (result, input) => onDone({ action: input.action, result }),
  });
}

/** The first problem zod finds with a form's values, worded like the API's field issues. */
function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return "The form is not valid";
  const path = issue.path.map(String).join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}

/** The patterns a new known issue or known peak can be recognised by: the root causes, or the top pattern of an untraced window. */
function patternChoices(peak: PeakDetail): { patternId: string; template: string; detail: string }[] {
  const facts = peak.enrichment.investigation;
  if (!facts) return [];
  if (facts.rootCauses.length > 0) {
    return facts.rootCauses.map((cause) => ({
      patternId: cause.patternId,
      template: cause.template,
      detail: `started ${cause.traces} ${cause.traces === 1 ? "trace" : "traces"} (${Math.round(cause.share * 100)} %)`,
    }));
  }
  const top = facts.patterns[0];
  return top ? [{ patternId: top.patternId, template: top.template, detail: `${top.count} errors, the most frequent pattern (no traces)` }] : [];
}

function PatternPicker({ peak, chosen, onChange }: { peak: PeakDetail; chosen: readonly string[]; onChange: (patternIds: string[]) => void }) {
  const choices = patternChoices(peak);
  return (
    <fieldset>
      <legend>Recognise it by these root-cause patterns</legend>
      {choices.map((choice) => (
        <label key={choice.patternId} className="pk-check">
          <input
            type="checkbox"
            checked={chosen.includes(choice.patternId)}
            onChange={(event) => onChange(event.target.checked ? [...chosen, choice.patternId] : chosen.filter((id) => id !== choice.patternId))}
          />
          <span>
            <span className="pk-template">{choice.template}</span> <span className="muted">— {choice.detail}</span>
          </span>
        </label>
      ))}
      <p className="pk-hint">The first one started most traces; the others are often background errors that would match unrelated peaks.</p>
    </fieldset>
  );
}

function ScopePicker({ peak, scope, onChange, name }: { peak: PeakDetail; scope: KnownIssueScope; onChange: (scope: KnownIssueScope) => void; name: string }) {
  const options: { value: KnownIssueScope; text: string; isDisabled?: boolean }[] = [
    { value: "namespace", text: `Only in ${peak.namespace}` },
    {
      value: "namespace_and_app",
      text: peak.appName ? `Only ${peak.appName} in ${peak.namespace}` : "Only this app (the peak has no app)",
      isDisabled: peak.appName === null,
    },
    { value: "everywhere", text: "In every namespace" },
  ];
  return (
    <fieldset>
      <legend>Scope</legend>
      {options.map((option) => (
        <label key={option.value} className="pk-check">
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={scope === option.value}
            disabled={option.isDisabled}
            onChange={() => onChange(option.value)}
          />
          {option.text}
        </label>
      ))}
    </fieldset>
  );
}

function defaultTitle(peak: PeakDetail): string {
  const facts = peak.enrichment.investigation;
  return (facts?.rootCauses[0]?.template ?? facts?.patterns[0]?.template ?? peak.rootCause ?? "").slice(0, 200);
}

function CreateKnownIssueForm({ peak, onDone, onCancel }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onCancel: () => void }) {
  const fieldId = useId();
  const [title, setTitle] = useState(() => defaultTitle(peak));
  const [description, setDescription] = useState("");
  const [link, setLink] = useState("");
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [patternIds, setPatternIds] = useState<string[]>(() =>
    patternChoices(peak)
      .slice(0, 1)
      .map((choice) => choice.patternId),
  );
  const [labelMatching, setLabelMatching] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const action = usePeakAction(peak.id, onDone);
  if (peak.enrichment.investigation === null) {
    return (
      <p className="muted">
        This peak is not investigated yet, so it has no patterns to recognise a known issue by. Attach it to an existing known issue instead.
      </p>
    );
  }
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = createKnownIssueFromPeakSchema.safeParse({ title, description, link, scope, patternIds, labelMatching });
        if (!parsed.success) return setProblem(firstIssue(parsed.error));
        setProblem(null);
        action.mutate({ action: "create_known_issue", title, description, link, scope, patternIds, labelMatching });
      }}
    >
      <div className="field">
        <label htmlFor={`${fieldId}-title`}>Title</label>
        <input id={`${fieldId}-title`} value={title} maxLength={200} required data-autofocus onChange={(event) => setTitle(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-description`}>Description (optional)</label>
        <textarea id={`${fieldId}-description`} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-link`}>Link to a ticket (optional)</label>
        <input id={`${fieldId}-link`} type="url" placeholder="https://" value={link} onChange={(event) => setLink(event.target.value)} />
      </div>
      <PatternPicker peak={peak} chosen={patternIds} onChange={setPatternIds} />
      <ScopePicker peak={peak} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
      <label className="pk-check">
        <input type="checkbox" checked={labelMatching} onChange={(event) => setLabelMatching(event.target.checked)} />
        Also label the other open peaks with this root cause
      </label>
      <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
      <FormButtons submitText="Create known issue" pendingText="Creating…" isPending={action.isPending} onCancel={onCancel} />
    </form>
  );
}

function AttachKnownIssueForm({ peak, onDone, onCancel }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onCancel: () => void }) {
  const fieldId = useId();
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState("");
  const [labelMatching, setLabelMatching] = useState(true);
  const action = usePeakAction(peak.id, onDone);
  const issues = useQuery({
    queryKey: ["known-issues", "active", ""],
    queryFn: ({ signal }) => fetchJson<{ knownIssues: KnownIssueSummary[] }>("/api/known-issues?status=active", { signal }).then((body) => body.knownIssues),
  });
  const words = query.trim().toLowerCase();
  const candidates = (issues.data ?? []).filter(
    (issue) =>
      issue.id !== peak.knownIssue?.id &&
      (words === "" || `#${issue.id} ${issue.title} ${issue.namespace ?? ""} ${issue.appName ?? ""}`.toLowerCase().includes(words)),
  );
  const scopeText = (issue: KnownIssueSummary) =>
    issue.namespace === null ? "everywhere" : issue.appName ? `${issue.appName} in ${issue.namespace}` : issue.namespace;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen !== "") action.mutate({ action: "attach_known_issue", knownIssueId: Number(chosen), labelMatching });
      }}
    >
      {issues.isError ? <FormError message={`Could not load the known issues: ${issues.error.message}`} /> : null}
      <div className="field">
        <label htmlFor={`${fieldId}-search`}>Search active known issues</label>
        <input
          id={`${fieldId}-search`}
          type="search"
          data-autofocus
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Title, #id, namespace"
        />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-issue`}>Known issue</label>
        <select
          id={`${fieldId}-issue`}
          size={Math.min(6, Math.max(2, candidates.length))}
          value={chosen}
          required
          onChange={(event) => setChosen(event.target.value)}
        >
          {candidates.map((issue) => (
            <option key={issue.id} value={String(issue.id)}>
              #{issue.id} {issue.title} ({scopeText(issue)})
            </option>
          ))}
        </select>
        <p className="pk-hint" role="status">
          {issues.isPending
            ? "Loading the known issues…"
            : candidates.length === 0
              ? "No active known issue matches."
              : `${candidates.length} active known ${candidates.length === 1 ? "issue" : "issues"}.`}
        </p>
      </div>
      <label className="pk-check">
        <input type="checkbox" checked={labelMatching} onChange={(event) => setLabelMatching(event.target.checked)} />
        Also label the other open peaks this issue matches
      </label>
      <FormError message={action.isError ? describeError(action.error) : null} />
      <FormButtons submitText="Attach" pendingText="Attaching…" isPending={action.isPending} onCancel={onCancel} isDisabled={chosen === ""} />
    </form>
  );
}

function KnownIssuePanel({ peak, onDone, onClose }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onClose: () => void }) {
  const name = useId();
  const [mode, setMode] = useState<"create" | "attach">(peak.enrichment.investigation ? "create" : "attach");
  return (
    <ActionPanel id="panel-known-issue" title="Mark as a known issue" onClose={onClose}>
      <div className="pk-choice" role="radiogroup" aria-label="How">
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "create"} onChange={() => setMode("create")} />
          New known issue from this peak&apos;s patterns
        </label>
        <label className="pk-check">
          <input type="radio" name={name} checked={mode === "attach"} onChange={() => setMode("attach")} />
          Attach to an existing known issue
        </label>
      </div>
      {mode === "create" ? (
        <CreateKnownIssueForm peak={peak} onDone={onDone} onCancel={onClose} />
      ) : (
        <AttachKnownIssueForm peak={peak} onDone={onDone} onCancel={onClose} />
      )}
    </ActionPanel>
  );
}

function FalsePositivePanel({ peak, onDone, onClose }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onClose: () => void }) {
  const fieldId = useId();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const action = usePeakAction(peak.id, onDone);
  return (
    <ActionPanel id="panel-false-positive" title="Mark as a false positive" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = markFalsePositiveSchema.safeParse({ reason });
          if (!parsed.success) return setProblem(firstIssue(parsed.error));
          setProblem(null);
          action.mutate({ action: "false_positive", reason });
        }}
      >
        <div className="field">
          <label htmlFor={`${fieldId}-reason`}>Reason (optional)</label>
          <textarea
            id={`${fieldId}-reason`}
            value={reason}
            maxLength={2000}
            onChange={(event) => setReason(event.target.value)}
            placeholder="e.g. a load test"
          />
        </div>
        <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
        <FormButtons submitText="Mark as false positive" pendingText="Saving…" isPending={action.isPending} onCancel={onClose} />
      </form>
    </ActionPanel>
  );
}

function ResolvePanel({ peak, onDone, onClose }: { peak: PeakDetail; onDone: (outcome: ActionOutcome) => void; onClose: () => void }) {
  const fieldId = useId();
  const [solution, setSolution] = useState("");
  const [title, setTitle] = useState("");
  const [scope, setScope] = useState<KnownIssueScope>("namespace");
  const [patternIds, setPatternIds] = useState<string[]>(() =>
    patternChoices(peak)
      .slice(0, 1)
      .map((choice) => choice.patternId),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const action = usePeakAction(peak.id, onDone);
  const issue = peak.knownIssue;
  const cannotResolve = !issue && peak.enrichment.investigation === null;
  return (
    <ActionPanel id="panel-resolve" title="Resolve with a solution" onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const input = issue ? { solution } : { solution, title, scope, patternIds };
          const parsed = resolvePeakSchema.safeParse(input);
          if (!parsed.success) return setProblem(firstIssue(parsed.error));
          setProblem(null);
          action.mutate({ action: "resolve", ...input });
        }}
      >
        {issue ? (
          <p className="pk-hint">
            {issue.status === "active"
              ? `This resolves known issue #${issue.id} “${issue.title}” too: it becomes a known peak with this solution, and later peaks with its root cause show as regressions.`
              : `Known issue #${issue.id} “${issue.title}” is resolved already; its known peak keeps the solution it was resolved with.`}
          </p>
        ) : cannotResolve ? (
          <p className="pk-hint">
            This peak is not investigated yet: without a known issue, its root-cause patterns are what a known peak is made of. Enrich it first.
          </p>
        ) : (
          <p className="pk-hint">The peak becomes a known peak: later peaks with this root cause show as regressions, with this solution.</p>
        )}
        <div className="field">
          <label htmlFor={`${fieldId}-solution`}>Solution</label>
          <textarea
            id={`${fieldId}-solution`}
            data-autofocus
            value={solution}
            required
            maxLength={10_000}
            onChange={(event) => setSolution(event.target.value)}
          />
        </div>
        {!issue && !cannotResolve ? (
          <>
            <div className="field">
              <label htmlFor={`${fieldId}-title`}>Title (optional)</label>
              <input
                id={`${fieldId}-title`}
                value={title}
                maxLength={200}
                placeholder={defaultTitle(peak)}
                onChange={(event) => setTitle(event.target.value)}
              />
            </div>
            <PatternPicker peak={peak} chosen={patternIds} onChange={setPatternIds} />
            <ScopePicker peak={peak} scope={scope} onChange={setScope} name={`${fieldId}-scope`} />
          </>
        ) : null}
        <FormError message={problem ?? (action.isError ? describeError(action.error) : null)} />
        <FormButtons submitText="Resolve" pendingText="Resolving…" isPending={action.isPending} onCancel={onClose} isDisabled={cannotResolve} />
      </form>
    </ActionPanel>
  );
}

/**
 * The triage actions an analyst may take on the peak in its status (those the API would refuse
 * are not offered): acknowledge and reopen at once, the others through an inline form. Beside
 * them, accepting the namespace's new level as normal, which is about the namespace's baseline
 * rather than this peak, so it is offered whatever the peak's status.
 */
export function PeakActions({
  peak,
  timeZone,
  onDone,
  onNewNormal,
}: {
  peak: PeakDetail;
  timeZone: string;
  onDone: (outcome: ActionOutcome) => void;
  onNewNormal: (record: NewNormalRecord) => void;
}) {
  const [panel, setPanel] = useState<Panel | null>(null);
  const openers = useRef<Partial<Record<Panel, HTMLButtonElement | null>>>({});
  const direct = usePeakAction(peak.id, onDone);
  const close = () => {
    const opener = panel ? openers.current[panel] : null;
    setPanel(null);
    opener?.focus();
  };
  const done = (outcome: ActionOutcome) => {
    setPanel(null);
    onDone(outcome);
  };
  const toggle = (which: Panel) => (panel === which ? close() : setPanel(which));
  const panelButton = (which: Panel, text: string) => (
    <button
      type="button"
      className="button button-secondary"
      ref={(element) => {
        openers.current[which] = element;
      }}
      aria-expanded={panel === which}
      aria-controls={panel === which ? `panel-${which.replace("_", "-")}` : undefined}
      onClick={() => toggle(which)}
    >
      {text}
    </button>
  );

  return (
    <>
      <div className="pk-action-bar">
        <div className="pk-actions" role="group" aria-label="Triage">
          {canApply("acknowledge", peak.status) ? (
            <button type="button" className="button" disabled={direct.isPending} onClick={() => direct.mutate({ action: "acknowledge" })}>
              {direct.isPending && direct.variables?.action === "acknowledge" ? "Acknowledging…" : "Acknowledge"}
            </button>
          ) : null}
          {canApply("known_issue", peak.status) ? panelButton("known_issue", peak.knownIssue ? "Change known issue" : "Mark as known issue") : null}
          {canApply("resolve", peak.status) ? panelButton("resolve", "Resolve with solution") : null}
          {canApply("false_positive", peak.status) ? panelButton("false_positive", "Mark false positive") : null}
          {canApply("reopen", peak.status) ? (
            <button type="button" className="button button-secondary" disabled={direct.isPending} onClick={() => direct.mutate({ action: "reopen" })}>
              {direct.isPending && direct.variables?.action === "reopen" ? "Reopening…" : "Reopen"}
            </button>
          ) : null}
        </div>
        <div className="pk-actions" role="group" aria-label="Baseline of the namespace">
          {panelButton("new_normal", "Accept as the new normal")}
        </div>
      </div>
      {direct.isError ? <FormError message={describeError(direct.error)} /> : null}
      {panel === "known_issue" ? <KnownIssuePanel peak={peak} onDone={done} onClose={close} /> : null}
      {panel === "false_positive" ? <FalsePositivePanel peak={peak} onDone={done} onClose={close} /> : null}
      {panel === "resolve" ? <ResolvePanel peak={peak} onDone={done} onClose={close} /> : null}
      {panel === "new_normal" ? (
        <NewNormalPanel
          peak={peak}
          timeZone={timeZone}
          onClose={close}
          onAccepted={(record) => {
            setPanel(null);
            onNewNormal(record);
          }}
        />
      ) : null}
    </>
  );
}
