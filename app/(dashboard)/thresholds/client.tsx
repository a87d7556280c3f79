"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { BacktestChart } from "@/components/charts/backtest-chart";
import { BacktestSummary } from "@/components/thresholds/backtest-summary";
import { formatThresholdValue, readableThresholdValue } from "@/components/thresholds/readable-value";
import { ThresholdHistory } from "@/components/thresholds/threshold-history";
import type { BacktestAnswer, ThresholdsState, ThresholdVersion } from "@/lib/db/thresholds";
import { formatDateTime } from "@/lib/format";
import { ApiError, fetchJson } from "@/lib/http/fetch-json";
import { draftOf, fieldErrorsOf, parseDraft, sameValues, thresholdFields, type ThresholdDraft, type ThresholdField } from "@/lib/thresholds/form";
import { thresholdFieldHelp, type ThresholdValues } from "@/lib/thresholds/schema";
import { BACKTEST_DAY_CHOICES } from "./search-params";

type Tested = { values: ThresholdValues; days: number; answer: BacktestAnswer };

function versionName(version: ThresholdVersion): string {
  return version.version === null ? "values.yaml" : `version ${version.version}`;
}

function postJson<T>(url: string, body: unknown): Promise<T> {
  return fetchJson<T>(url, { method: "POST", body: JSON.stringify(body) });
}

export function ThresholdsClient({
  initialState,
  canEdit,
  timeZone,
  initialDays,
}: {
  initialState: ThresholdsState;
  canEdit: boolean;
  timeZone: string;
  initialDays: number;
}) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = useQuery({ queryKey: ["thresholds"], queryFn: () => fetchJson<ThresholdsState>("/api/thresholds"), initialData: initialState });
  const current = state.data.current;

  const [draft, setDraft] = useState<ThresholdDraft>(() => draftOf(current.values));
  const [basedOnVersion, setBasedOnVersion] = useState<number | null>(current.version);
  const [comment, setComment] = useState("");
  const [touched, setTouched] = useState<Partial<Record<ThresholdField, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<ThresholdField, string>>>({});
  const [tested, setTested] = useState<Tested | null>(null);
  const [chartNamespace, setChartNamespace] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const days = Number(searchParams.get("days") ?? initialDays) || initialDays;

  const parsed = parseDraft(draft);
  const fieldError = (field: ThresholdField) => serverErrors[field] ?? (touched[field] || parsed.values === null ? parsed.errors?.[field] : undefined);
  const isTestCurrent = tested !== null && parsed.values !== null && sameValues(tested.values, parsed.values) && tested.days === days;
  const isUnchanged = parsed.values !== null && sameValues(parsed.values, current.values);

  const setDays = (value: number) => {
    const params = new URLSearchParams(searchParams);
    params.set("days", String(value));
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
  };

  const backtest = useMutation({
    mutationFn: (values: ThresholdValues) => postJson<BacktestAnswer>("/api/thresholds/backtest", { values, days }),
    onSuccess: (answer, values) => {
      setTested({ values, days, answer });
      setChartNamespace(answer.chart?.namespace ?? null);
      setServerErrors({});
    },
    onError: (error) => setServerErrors(error instanceof ApiError ? fieldErrorsOf(error.issues) : {}),
  });
  // Another namespace's chart: the same backtest narrowed to it.
  const namespaceChart = useQuery({
    queryKey: ["backtest-chart", tested?.values, tested?.days, chartNamespace],
    queryFn: () => postJson<BacktestAnswer>("/api/thresholds/backtest", { values: tested!.values, days: tested!.days, namespace: chartNamespace }),
    enabled: tested !== null && chartNamespace !== null && chartNamespace !== tested.answer.chart?.namespace,
    staleTime: Infinity,
  });

  const afterSave = (saved: ThresholdVersion, verb: string) => {
    setNotice({ tone: "success", text: `${verb} version ${saved.version}: detection uses it from the next run.` });
    setDraft(draftOf(saved.values));
    setBasedOnVersion(saved.version);
    setComment("");
    setTested(null);
    setTouched({});
    void queryClient.invalidateQueries({ queryKey: ["thresholds"] });
  };
  const save = useMutation({
    mutationFn: (values: ThresholdValues) => postJson<ThresholdVersion>("/api/thresholds", { values, comment, basedOnVersion }),
    onSuccess: (saved) => afterSave(saved, "Saved"),
    onError: (error) => {
      setNotice({ tone: "error", text: error.message });
      if (error instanceof ApiError) setServerErrors(fieldErrorsOf(error.issues));
    },
  });
  const restore = useMutation({
    mutationFn: (version: number) => postJson<ThresholdVersion>("/api/thresholds/restore", { version }),
    onSuccess: (saved) => afterSave(saved, "Restored as"),
    onError: (error) => setNotice({ tone: "error", text: error.message }),
  });

  const edit = (field: ThresholdField, value: string) => {
    setDraft((previous) => ({ ...previous, [field]: value }));
    setServerErrors((previous) => ({ ...previous, [field]: undefined }));
    setNotice(null);
  };

  const chartAnswer = chartNamespace && namespaceChart.data?.chart?.namespace === chartNamespace ? namespaceChart.data : tested?.answer;
  const chartEntry = chartAnswer?.namespaces.find((entry) => entry.namespace === chartAnswer.chart?.namespace);
  const isStale = basedOnVersion !== current.version;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Thresholds</h1>
          <p>
            Peak detection uses {versionName(current)}
            {current.createdAt ? `, saved by ${current.createdBy ?? "the command line"} on ${formatDateTime(current.createdAt, timeZone)}` : ""}. Times in{" "}
            {timeZone}.
          </p>
        </div>
      </header>

      {notice ? (
        <div className={`alert alert-${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"} style={{ marginBottom: "1rem" }}>
          {notice.text}
        </div>
      ) : null}

      <div className="grid grid-thresholds">
        <section className="card" aria-labelledby="values-title">
          <h2 id="values-title">{canEdit ? "Tune the values" : "Values in force"}</h2>
          {!canEdit ? <p className="muted">Only admins change thresholds. Every version is listed in the history below.</p> : null}
          {canEdit && isStale ? (
            <div className="alert alert-error" role="alert">
              {versionName(current)} was saved since this form was loaded.{" "}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setDraft(draftOf(current.values));
                  setBasedOnVersion(current.version);
                  setTested(null);
                }}
              >
                Load it
              </button>
            </div>
          ) : null}
          <form
            className="form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              setTouched(Object.fromEntries(thresholdFields.map((field) => [field, true])));
              if (parsed.values && isTestCurrent) save.mutate(parsed.values);
            }}
          >
            <div className="threshold-fields">
              {thresholdFields.map((field) => {
                const error = fieldError(field);
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
                      onChange={(event) => edit(field, event.target.value)}
                      onBlur={() => setTouched((previous) => ({ ...previous, [field]: true }))}
                    />
                    {words ? (
                      <span id={`threshold-${field}-words`} className="field-words">
                        = {words}
                      </span>
                    ) : null}
                    <span id={`threshold-${field}-help`} className="field-help">
                      {help.help} <code>{field}</code>
                      {parsed.values && parsed.values[field] !== current.values[field] ? (
                        <strong> (in force: {formatThresholdValue(field, current.values[field])})</strong>
                      ) : null}
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
            {canEdit ? (
              <>
                <div className="field">
                  <label htmlFor="threshold-comment">Why (saved with the version)</label>
                  <input
                    id="threshold-comment"
                    value={comment}
                    maxLength={500}
                    onChange={(event) => setComment(event.target.value)}
                    placeholder="e.g. fewer alerts for small namespaces"
                  />
                </div>
                <div className="threshold-actions">
                  <div className="field field-inline">
                    <label htmlFor="backtest-days">Backtest over the last</label>
                    <select id="backtest-days" value={days} onChange={(event) => setDays(Number(event.target.value))}>
                      {[...new Set([...BACKTEST_DAY_CHOICES, days])]
                        .sort((left, right) => left - right)
                        .map((choice) => (
                          <option key={choice} value={choice}>
                            {choice} {choice === 1 ? "day" : "days"}
                          </option>
                        ))}
                    </select>
                  </div>
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={parsed.values === null || backtest.isPending}
                    onClick={() => parsed.values && backtest.mutate(parsed.values)}
                  >
                    {backtest.isPending ? "Backtesting…" : "Backtest"}
                  </button>
                  <button type="submit" className="button" disabled={!isTestCurrent || isUnchanged || save.isPending || isStale} aria-describedby="save-help">
                    {save.isPending ? "Saving…" : "Save as a new version"}
                  </button>
                </div>
                <p id="save-help" className="muted field-help">
                  {isUnchanged
                    ? "These are the values in force."
                    : isTestCurrent
                      ? "The backtest below shows these values; saving makes them the next version."
                      : "Backtest these values before saving them."}
                </p>
                {backtest.isError ? (
                  <div className="alert alert-error" role="alert">
                    {backtest.error.message}
                  </div>
                ) : null}
              </>
            ) : null}
          </form>
        </section>

        <ThresholdHistory
          history={state.data.history}
          timeZone={timeZone}
          canEdit={canEdit}
          isRestoring={restore.isPending}
          onRestore={(version) => restore.mutate(version)}
          onLoad={(version) => {
            setDraft(draftOf(version.values));
            setTested(null);
            setNotice({ tone: "success", text: `Loaded ${versionName(version)} into the form: backtest it, then save.` });
          }}
        />
      </div>

      {canEdit ? (
        <section className="card" aria-labelledby="backtest-title" aria-busy={backtest.isPending} style={{ marginTop: "1rem" }}>
          <h2 id="backtest-title">Backtest</h2>
          {tested === null ? (
            <p className="muted">
              {backtest.isPending
                ? "Replaying detection over the stored windows…"
                : "Change a value and press Backtest: both sets of thresholds are replayed over the same stored windows, and the peaks the new values add or remove are listed per namespace."}
            </p>
          ) : (
            <>
              {!isTestCurrent ? (
                <p className="alert alert-error" role="status">
                  The form changed since this backtest; backtest again before saving.
                </p>
              ) : null}
              <BacktestSummary answer={tested.answer} timeZone={timeZone} selected={chartNamespace} onSelect={setChartNamespace} />
              {chartAnswer?.chart && chartEntry ? (
                <div className="backtest-chart" aria-busy={namespaceChart.isFetching}>
                  <h3>{chartAnswer.chart.namespace}</h3>
                  <BacktestChart
                    points={chartAnswer.chart.points}
                    added={chartEntry.added}
                    removed={chartEntry.removed}
                    kept={chartEntry.kept}
                    from={chartAnswer.from}
                    to={chartAnswer.to}
                    bucketMinutes={chartAnswer.chart.bucketMinutes}
                    timeZone={timeZone}
                    label={`${chartAnswer.chart.namespace}: ${chartEntry.added.length} peaks added and ${chartEntry.removed.length} removed by the proposed values over ${chartAnswer.days} days`}
                  />
                </div>
              ) : namespaceChart.isFetching ? (
                <div className="skeleton" style={{ height: 280 }} aria-label="Loading the chart" />
              ) : namespaceChart.isError ? (
                <div className="alert alert-error" role="alert">
                  {namespaceChart.error.message}
                </div>
              ) : null}
            </>
          )}
        </section>
      ) : null}
    </>
  );
}
