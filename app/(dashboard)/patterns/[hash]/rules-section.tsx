"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PatternRulesList } from "@/components/patterns/pattern-rules";
import { Alert } from "@/components/ui/alert";
import { fetchJson } from "@/lib/http/fetch-json";
import type { PatternDetail, PatternPage } from "@/lib/patterns/contract";
import { describePatternRule, type PatternRuleView, type SplitPatternInput } from "@/lib/patterns/rules-contract";
import { SearchField } from "@/components/ui/search-field";

const WILDCARD = "<*>";

/** "Merge with…": pick patterns by search and merge them into this one. */
function MergePanel({ pattern, onDone }: { pattern: PatternDetail; onDone: (rule: PatternRuleView) => void }) {
  const [q, setQ] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  const search = useQuery({
    queryKey: ["pattern-merge-search", q],
    queryFn: ({ signal }) => fetchJson<PatternPage>(`/api/patterns?${new URLSearchParams({ q, limit: "10", sort: "occurrences" }).toString()}`, { signal }),
    enabled: q.trim().length > 0,
  });
  const merge = useMutation({
    mutationFn: () => fetchJson<PatternRuleView>("/api/patterns/merge", { method: "POST", body: JSON.stringify({ members: picked, into: pattern.hash }) }),
    onSuccess: (rule) => {
      setPicked([]);
      onDone(rule);
    },
  });
  const candidates = (search.data?.patterns ?? []).filter((candidate) => candidate.hash !== pattern.hash);
  return (
    <form
      className="pattern-rule-form"
      aria-label="Merge patterns into this one"
      onSubmit={(event) => {
        event.preventDefault();
        merge.mutate();
      }}
    >
      <p className="muted">
        The patterns picked show under this one from now on, their history included: counts, trends, first seen, peaks and known issues. Revert the rule to
        separate them again.
      </p>
      <SearchField id="pattern-merge-search" label="Find patterns to merge" value={q} placeholder="part of a template, or an id" onChange={setQ} />
      {search.isError ? <Alert tone="error">Could not search: {search.error.message}</Alert> : null}
      {q.trim() !== "" && search.isSuccess && candidates.length === 0 ? <p className="muted">No other pattern matches.</p> : null}
      {candidates.length > 0 ? (
        <ul className="pattern-merge-candidates">
          {candidates.map((candidate) => (
            <li key={candidate.hash}>
              <label>
                <input
                  type="checkbox"
                  checked={picked.includes(candidate.hash)}
                  onChange={(event) => setPicked((list) => (event.target.checked ? [...list, candidate.hash] : list.filter((hash) => hash !== candidate.hash)))}
                />{" "}
                <code>{candidate.hash}</code> {candidate.template}
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      {merge.isError ? <Alert tone="error">Could not merge: {merge.error.message}</Alert> : null}
      <button type="submit" className="button" disabled={picked.length === 0 || merge.isPending}>
        Merge {picked.length === 1 ? "1 pattern" : `${picked.length} patterns`} into this one
      </button>
    </form>
  );
}

/** "Split…": by the value at a wildcard, or by a regex on the headline. */
function SplitPanel({ pattern, onDone }: { pattern: PatternDetail; onDone: (rule: PatternRuleView) => void }) {
  const wildcards = pattern.template.split(WILDCARD).length - 1;
  const [by, setBy] = useState<"value" | "regex">(wildcards > 0 ? "value" : "regex");
  // Numbered from 1, as the template shows them (<*> #1 first) and the API takes them.
  const [wildcard, setWildcard] = useState(1);
  const [value, setValue] = useState("");
  const [regex, setRegex] = useState("");
  const [name, setName] = useState("");
  const split = useMutation({
    mutationFn: () => {
      const body: SplitPatternInput = by === "value" ? { wildcard, value } : { regex };
      if (name.trim() !== "") body.name = name;
      return fetchJson<PatternRuleView>(`/api/patterns/${encodeURIComponent(pattern.hash)}/split`, { method: "POST", body: JSON.stringify(body) });
    },
    onSuccess: onDone,
  });
  const parts = pattern.template.split(WILDCARD);
  // The values "Why grouped" saw at the chosen wildcard, offered as the value (only for the template they were counted for).
  const seenValues =
    pattern.whyGrouped?.template === pattern.template ? (pattern.whyGrouped.positions[wildcard - 1]?.values.map((seen) => seen.value) ?? []) : [];
  return (
    <form
      className="pattern-rule-form"
      aria-label="Split this pattern"
      onSubmit={(event) => {
        event.preventDefault();
        split.mutate();
      }}
    >
      <p className="muted">
        The messages picked are counted under a new pattern from now on. What was counted before stays with this pattern: only the logs could tell those
        messages apart, and reading their windows again does not count them again.
      </p>
      <fieldset className="pattern-split-by">
        <legend>Split by</legend>
        <label>
          <input type="radio" name="split-by" checked={by === "value"} disabled={wildcards === 0} onChange={() => setBy("value")} /> the value at a wildcard
        </label>
        <label>
          <input type="radio" name="split-by" checked={by === "regex"} onChange={() => setBy("regex")} /> a regular expression (RE2) on the message&apos;s first
          line
        </label>
      </fieldset>
      {by === "value" ? (
        <>
          <div className="field">
            <label htmlFor="pattern-split-wildcard">Wildcard</label>
            <select id="pattern-split-wildcard" value={wildcard} onChange={(event) => setWildcard(Number(event.target.value))}>
              {Array.from({ length: wildcards }, (_, index) => (
                <option key={index} value={index + 1}>
                  {`<*> #${index + 1}: ${parts
                    .slice(0, index + 1)
                    .join(WILDCARD)
                    .slice(-30)} [here] ${parts[index + 1]?.slice(0, 30) ?? ""}`}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="pattern-split-value">Value</label>
            <input
              id="pattern-split-value"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              placeholder="the text at that wildcard"
              list={seenValues.length > 0 ? "pattern-split-seen-values" : undefined}
            />
            {seenValues.length > 0 ? (
              <datalist id="pattern-split-seen-values">
                {seenValues.map((seen) => (
                  <option key={seen} value={seen} />
                ))}
              </datalist>
            ) : null}
          </div>
        </>
      ) : (
        <div className="field">
          <label htmlFor="pattern-split-regex">Regular expression</label>
          <input id="pattern-split-regex" value={regex} onChange={(event) => setRegex(event.target.value)} placeholder="e.g. db-1\." />
        </div>
      )}
      <div className="field">
        <label htmlFor="pattern-split-name">New pattern&apos;s template (optional)</label>
        <input id="pattern-split-name" value={name} onChange={(event) => setName(event.target.value)} />
      </div>
      {split.isError ? <Alert tone="error">Could not split: {split.error.message}</Alert> : null}
      <button type="submit" className="button" disabled={split.isPending || (by === "value" ? value.trim() === "" : regex === "")}>
        Split
      </button>
    </form>
  );
}

/**
 * The pattern's merges and splits: the rules naming it with "Revert", and for analysts "Merge
 * with…" and "Split…". Any change refreshes the whole page, whose numbers follow the rules.
 */
export function PatternRulesSection({ pattern, timeZone, canEdit }: { pattern: PatternDetail; timeZone: string; canEdit: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [panel, setPanel] = useState<"merge" | "split" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (sentence: string) => {
    setPanel(null);
    setNotice(sentence);
    void queryClient.invalidateQueries({ queryKey: ["pattern"] });
    router.refresh();
  };
  const revert = useMutation({
    mutationFn: (rule: PatternRuleView) => fetchJson<PatternRuleView>(`/api/patterns/rules/${rule.id}/revoke`, { method: "POST", body: "{}" }),
    onSuccess: (rule) => done(`Reverted rule ${rule.id}: ${describePatternRule(rule)}.`),
  });
  return (
    <section className="card pattern-section" aria-labelledby="pattern-rules">
      <div className="pattern-known-head">
        <h2 id="pattern-rules">Merges and splits</h2>
        {canEdit && pattern.mergedInto === null ? (
          <div className="pattern-rule-actions">
            <button
              type="button"
              className="button button-secondary"
              aria-expanded={panel === "merge"}
              onClick={() => setPanel(panel === "merge" ? null : "merge")}
            >
              Merge with…
            </button>
            <button
              type="button"
              className="button button-secondary"
              aria-expanded={panel === "split"}
              onClick={() => setPanel(panel === "split" ? null : "split")}
            >
              Split…
            </button>
          </div>
        ) : null}
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {panel === "merge" ? <MergePanel pattern={pattern} onDone={(rule) => done(`Merged (rule ${rule.id}): ${describePatternRule(rule)}.`)} /> : null}
      {panel === "split" ? <SplitPanel pattern={pattern} onDone={(rule) => done(`Split (rule ${rule.id}): new pattern ${rule.child?.hash ?? ""}.`)} /> : null}
      {pattern.mergedFrom.length > 0 ? (
        <p className="muted">
          Shows the counts of {pattern.mergedFrom.length === 1 ? "1 pattern" : `${pattern.mergedFrom.length} patterns`} merged into it:{" "}
          {pattern.mergedFrom.join(", ")}.
        </p>
      ) : null}
      <PatternRulesList rules={pattern.rules} timeZone={timeZone} canRevert={canEdit} isReverting={revert.isPending} onRevert={(rule) => revert.mutate(rule)} />
      {revert.isError ? <Alert tone="error">Could not revert: {revert.error.message}</Alert> : null}
    </section>
  );
}
