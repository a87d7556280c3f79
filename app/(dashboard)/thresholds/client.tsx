"use client";

import { useQuery } from "@tanstack/react-query";
import { BacktestResults } from "@/components/thresholds/backtest-results";
import { ThresholdFields } from "@/components/thresholds/threshold-fields";
import { ThresholdHistory } from "@/components/thresholds/threshold-history";
import { Alert } from "@/components/ui/alert";
import type { ThresholdsState } from "@/lib/thresholds/contract";
import { formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { ThresholdSaveControls } from "./threshold-save-controls";
import { useBacktestDays } from "./use-backtest";
import { useThresholdForm, versionName } from "./use-threshold-form";

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
  const state = useQuery({ queryKey: ["thresholds"], queryFn: () => fetchJson<ThresholdsState>("/api/thresholds"), initialData: initialState });
  const current = state.data.current;
  const { days, setDays } = useBacktestDays(initialDays);
  const form = useThresholdForm(current, days);
  const { backtest } = form;

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

      {form.notice ? (
        <Alert tone={form.notice.tone} as="div" style={{ marginBottom: "1rem" }}>
          {form.notice.text}
        </Alert>
      ) : null}

      <div className="grid grid-thresholds">
        <section className="card" aria-labelledby="values-title">
          <h2 id="values-title">{canEdit ? "Tune the values" : "Values in force"}</h2>
          {!canEdit ? <p className="muted">Only admins change thresholds. Every version is listed in the history below.</p> : null}
          {canEdit && form.isStale ? (
            <Alert tone="error" as="div">
              {versionName(current)} was saved since this form was loaded.{" "}
              <button type="button" className="link-button" onClick={form.loadCurrent}>
                Load it
              </button>
            </Alert>
          ) : null}
          <form
            className="form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              form.submit();
            }}
          >
            <ThresholdFields
              draft={form.draft}
              proposed={form.parsed.values}
              inForce={current.values}
              canEdit={canEdit}
              errorOf={form.fieldError}
              onEdit={form.edit}
              onTouch={form.touch}
            />
            {canEdit ? (
              <ThresholdSaveControls
                comment={form.comment}
                onCommentChange={form.setComment}
                days={days}
                onDaysChange={setDays}
                canBacktest={form.parsed.values !== null}
                isBacktesting={backtest.replay.isPending}
                onBacktest={() => form.parsed.values && backtest.replay.mutate(form.parsed.values)}
                backtestError={backtest.replay.error}
                canSave={form.isTestCurrent && !form.isUnchanged && !form.isStale}
                isSaving={form.save.isPending}
                isUnchanged={form.isUnchanged}
                isTestCurrent={form.isTestCurrent}
              />
            ) : null}
          </form>
        </section>

        <ThresholdHistory
          history={state.data.history}
          timeZone={timeZone}
          canEdit={canEdit}
          isRestoring={form.restore.isPending}
          onRestore={(version) => form.restore.mutate(version)}
          onLoad={form.loadVersion}
        />
      </div>

      {canEdit ? (
        <BacktestResults
          answer={backtest.tested?.answer ?? null}
          isBacktesting={backtest.replay.isPending}
          isCurrent={form.isTestCurrent}
          timeZone={timeZone}
          chartNamespace={backtest.chartNamespace}
          onChartNamespace={backtest.setChartNamespace}
          chartAnswer={backtest.chartAnswer}
          chartEntry={backtest.chartEntry}
          isChartLoading={backtest.namespaceChart.isFetching}
          chartError={backtest.namespaceChart.error}
        />
      ) : null}
    </>
  );
}
