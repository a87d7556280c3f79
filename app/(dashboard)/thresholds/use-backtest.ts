"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { ApiError, fetchJson } from "@/lib/http/fetch-json";
import { fieldErrorsOf, type ThresholdField } from "@/lib/thresholds/form";
import type { BacktestAnswer, ThresholdValues } from "@/lib/thresholds/contract";

/** The values a backtest replayed, over how many days, and what it answered. */
export type Tested = { values: ThresholdValues; days: number; answer: BacktestAnswer };

export type FieldErrors = Partial<Record<ThresholdField, string>>;

export function postJson<T>(url: string, body: unknown): Promise<T> {
  return fetchJson<T>(url, { method: "POST", body: JSON.stringify(body) });
}

/** The backtest's length in days, held in the URL (?days=). */
export function useBacktestDays(initialDays: number) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const days = Number(searchParams.get("days") ?? initialDays) || initialDays;
  const setDays = (value: number) => {
    const params = new URLSearchParams(searchParams);
    params.set("days", String(value));
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
  };
  return { days, setDays };
}

/**
 * Backtesting proposed values over the last `days`, and the chart of one namespace: the busiest
 * one comes with the answer, another is the same backtest narrowed to it. The API's field
 * problems go to `onFieldErrors` (none after a success).
 */
export function useBacktest(days: number, onFieldErrors: (errors: FieldErrors) => void) {
  const [tested, setTested] = useState<Tested | null>(null);
  const [chartNamespace, setChartNamespace] = useState<string | null>(null);
  const replay = useMutation({
    mutationFn: (values: ThresholdValues) => postJson<BacktestAnswer>("/api/thresholds/backtest", { values, days }),
    onSuccess: (answer, values) => {
      setTested({ values, days, answer });
      setChartNamespace(answer.chart?.namespace ?? null);
      onFieldErrors({});
    },
    onError: (error) => onFieldErrors(error instanceof ApiError ? fieldErrorsOf(error.issues) : {}),
  });
  const namespaceChart = useQuery({
    queryKey: ["backtest-chart", tested?.values, tested?.days, chartNamespace],
    queryFn: () => postJson<BacktestAnswer>("/api/thresholds/backtest", { values: tested!.values, days: tested!.days, namespace: chartNamespace }),
    enabled: tested !== null && chartNamespace !== null && chartNamespace !== tested.answer.chart?.namespace,
    staleTime: Infinity,
  });
  const chartAnswer = chartNamespace && namespaceChart.data?.chart?.namespace === chartNamespace ? namespaceChart.data : tested?.answer;
  const chartEntry = chartAnswer?.namespaces.find((entry) => entry.namespace === chartAnswer.chart?.namespace);
  return { tested, forget: () => setTested(null), chartNamespace, setChartNamespace, replay, namespaceChart, chartAnswer, chartEntry };
}
