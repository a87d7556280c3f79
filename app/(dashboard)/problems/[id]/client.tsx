"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { ApiError, fetchJson } from "@/lib/http/fetch-json";
import type { ProblemDetail, ProblemKnownIssueResult } from "@/lib/problems/contract";
import { describePeriod, PROBLEM_PERIOD_CHOICES } from "@/lib/problems/words";
import { parseProblemDetailSearch, type ProblemDetailSearch } from "../search-params";
import { CreateKnownIssuePanel } from "./create-known-issue-panel";
import { CreatedNotice, ProblemCause, ProblemFacts, ProblemIncidents, ProblemKnownIssue, ProblemVersions } from "./problem-sections";

/** What the page shows for a period: the problem, or why it has none (no window in that period). */
type Loaded = { problem: ProblemDetail; missing: null } | { problem: null; missing: string };

async function loadProblem(id: string, since: string): Promise<Loaded> {
  try {
    return { problem: await fetchJson<ProblemDetail>(`/api/problems/${encodeURIComponent(id)}?since=${since}`), missing: null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { problem: null, missing: error.message };
    throw error;
  }
}

export function ProblemClient({
  id,
  initialSearch,
  initialProblem,
  initialMissing,
  timeZone,
  canCreateKnownIssue,
}: {
  id: string;
  initialSearch: ProblemDetailSearch;
  initialProblem: ProblemDetail | null;
  initialMissing: string | null;
  timeZone: string;
  /** Analysts and above: the action that makes a known issue of the problem. */
  canCreateKnownIssue: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const { since } = parseProblemDetailSearch(useSearchParams());
  const [created, setCreated] = useState<ProblemKnownIssueResult | null>(null);
  const initial: Loaded | undefined =
    since !== initialSearch.since ? undefined : initialProblem ? { problem: initialProblem, missing: null } : { problem: null, missing: initialMissing ?? "" };
  const query = useQuery({
    queryKey: ["problem", id, since],
    queryFn: () => loadProblem(id, since),
    initialData: initial,
    placeholderData: keepPreviousData,
  });
  const loaded = query.data;
  const problem = loaded?.problem ?? null;
  const choose = (next: string) => router.replace(next === "24h" ? pathname : `${pathname}?since=${next}`, { scroll: false });

  return (
    <>
      <p className="problem-back">
        <Link href={since === "24h" ? "/problems" : `/problems?since=${since}`}>← All problems</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="problem-header-title">Problem {problem ? <code>{problem.errorType}</code> : null}</h1>
          <p>
            <code>{id}</code>: one root cause with one error type, across namespaces and time. Times in {timeZone}.
          </p>
        </div>
        <div className="field problem-period">
          <label htmlFor="problem-since">Period</label>
          <select id="problem-since" value={since} onChange={(event) => choose(event.target.value)}>
            {PROBLEM_PERIOD_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                Last {describePeriod(choice)}
              </option>
            ))}
          </select>
        </div>
      </header>
      {query.isError ? <Alert tone="error">Could not load the problem: {query.error.message}</Alert> : null}
      {created ? <CreatedNotice result={created} /> : null}
      {loaded && !loaded.problem ? (
        <section className="card" role="status">
          <h2>Nothing in the last {describePeriod(since)}</h2>
          <p>{loaded.missing}.</p>
          {since !== "90d" ? (
            <p>
              <button type="button" className="link-button" onClick={() => choose("90d")}>
                Look at the last 90 days
              </button>
            </p>
          ) : null}
        </section>
      ) : null}
      {problem ? (
        <>
          <ProblemFacts problem={problem} since={since} timeZone={timeZone} />
          <ProblemKnownIssue
            problem={problem}
            created={created}
            action={
              canCreateKnownIssue ? (
                <CreateKnownIssuePanel
                  problem={problem}
                  since={since}
                  onCreated={(result) => {
                    setCreated(result);
                    void queryClient.invalidateQueries({ queryKey: ["problem", id] });
                  }}
                />
              ) : null
            }
          />
          <ProblemCause problem={problem} />
          <ProblemIncidents problem={problem} since={since} timeZone={timeZone} />
          <ProblemVersions problem={problem} timeZone={timeZone} />
        </>
      ) : null}
    </>
  );
}
