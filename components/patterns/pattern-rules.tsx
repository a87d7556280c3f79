import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/format";
import { describePatternRule, type PatternRuleView } from "@/lib/patterns/rules-contract";

/** A merged-away pattern's page: where its counts show now. */
export function MergedAwayNotice({ mergedInto, hasSplitRule }: { mergedInto: { hash: string; template: string }; hasSplitRule: boolean }) {
  return (
    <Alert tone="info">
      {hasSplitRule ? "Its split was reverted: " : "Merged: "}this pattern&apos;s counts, peaks and known issues show under{" "}
      <Link href={`/patterns/${encodeURIComponent(mergedInto.hash)}`}>pattern {mergedInto.hash}</Link> (<code>{mergedInto.template}</code>). The numbers below
      are its own.
    </Alert>
  );
}

/** The rules naming a pattern, newest first; analysts revert those in force. */
export function PatternRulesList({
  rules,
  timeZone,
  canRevert,
  isReverting,
  onRevert,
}: {
  rules: PatternRuleView[];
  timeZone: string;
  canRevert: boolean;
  isReverting: boolean;
  onRevert: (rule: PatternRuleView) => void;
}) {
  if (rules.length === 0) return <p className="muted">No merge or split names this pattern.</p>;
  return (
    <ul className="pattern-rules">
      {rules.map((rule) => (
        <li key={rule.id} className={rule.isActive ? undefined : "muted"}>
          <span>
            Rule {rule.id}: {describePatternRule(rule)}
            {rule.child ? (
              <>
                {" "}
                (<Link href={`/patterns/${encodeURIComponent(rule.child.hash)}`}>{rule.child.template}</Link>)
              </>
            ) : null}
          </span>{" "}
          <span className="muted">
            by {rule.createdBy}, {formatDateTime(rule.createdAt, timeZone)}
            {rule.revokedAt ? `; reverted by ${rule.revokedBy ?? "?"}, ${formatDateTime(rule.revokedAt, timeZone)}` : ""}
          </span>
          {rule.isActive && canRevert ? (
            <button type="button" className="button button-secondary" disabled={isReverting} onClick={() => onRevert(rule)}>
              Revert rule {rule.id}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
