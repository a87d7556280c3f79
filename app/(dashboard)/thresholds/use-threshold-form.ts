"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "@/lib/http/fetch-json";
import { draftOf, fieldErrorsOf, parseDraft, sameValues, thresholdFields, type ThresholdDraft, type ThresholdField } from "@/lib/thresholds/form";
import type { ThresholdValues, ThresholdVersion } from "@/lib/thresholds/contract";
import { postJson, useBacktest, type FieldErrors } from "./use-backtest";

export type Notice = { tone: "success" | "error"; text: string };

export function versionName(version: ThresholdVersion): string {
  return version.version === null ? "values.yaml" : `version ${version.version}`;
}

/**
 * The thresholds form: the values as typed, which fields were visited, the API's field problems,
 * the backtest of the values, saving (only values backtested as they stand, based on the version
 * in force when the form was loaded) and restoring an older version.
 */
export function useThresholdForm(current: ThresholdVersion, days: number) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ThresholdDraft>(() => draftOf(current.values));
  const [basedOnVersion, setBasedOnVersion] = useState<number | null>(current.version);
  const [comment, setComment] = useState("");
  const [touched, setTouched] = useState<Partial<Record<ThresholdField, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const backtest = useBacktest(days, setServerErrors);
  const { tested } = backtest;

  const parsed = parseDraft(draft);
  const fieldError = (field: ThresholdField) => serverErrors[field] ?? (touched[field] || parsed.values === null ? parsed.errors?.[field] : undefined);
  const isTestCurrent = tested !== null && parsed.values !== null && sameValues(tested.values, parsed.values) && tested.days === days;
  const isUnchanged = parsed.values !== null && sameValues(parsed.values, current.values);
  const isStale = basedOnVersion !== current.version;

  const afterSave = (saved: ThresholdVersion, verb: string) => {
    setNotice({ tone: "success", text: `${verb} version ${saved.version}: detection uses it from the next run.` });
    setDraft(draftOf(saved.values));
    setBasedOnVersion(saved.version);
    setComment("");
    backtest.forget();
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
  const touch = (field: ThresholdField) => setTouched((previous) => ({ ...previous, [field]: true }));
  const submit = () => {
    setTouched(Object.fromEntries(thresholdFields.map((field) => [field, true])));
    if (parsed.values && isTestCurrent) save.mutate(parsed.values);
  };
  /** Takes the version saved since the form was loaded as the form's values and base. */
  const loadCurrent = () => {
    setDraft(draftOf(current.values));
    setBasedOnVersion(current.version);
    backtest.forget();
  };
  const loadVersion = (version: ThresholdVersion) => {
    setDraft(draftOf(version.values));
    backtest.forget();
    setNotice({ tone: "success", text: `Loaded ${versionName(version)} into the form: backtest it, then save.` });
  };

  return {
    draft,
    parsed,
    comment,
    setComment,
    notice,
    fieldError,
    isTestCurrent,
    isUnchanged,
    isStale,
    edit,
    touch,
    submit,
    loadCurrent,
    loadVersion,
    save,
    restore,
    backtest,
  };
}
