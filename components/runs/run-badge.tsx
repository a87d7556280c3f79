import { Badge } from "@/components/ui/badge";
import { runBadge, type RunCoverageFacts } from "@/lib/completeness/run-findings";

/** A run's status badge: a success that waited for data, read nothing or found gaps is not a plain green one. */
export function RunBadge({ run }: { run: RunCoverageFacts }) {
  const badge = runBadge(run);
  return <Badge tone={badge.tone}>{badge.label}</Badge>;
}
