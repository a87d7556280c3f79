import { Badge } from "@/components/ui/badge";
import type { IncidentSummary } from "@/lib/incidents/contract";
import { statusLabels } from "@/lib/peaks/words";

/** An incident's status with what qualifies it: snoozed, and returned after it resolved itself. */
export function IncidentStatus({ incident }: { incident: Pick<IncidentSummary, "status" | "snooze" | "reopenCount"> }) {
  return (
    <span className="ic-badges">
      <Badge tone={incident.status}>{statusLabels[incident.status]}</Badge>
      {incident.snooze?.state === "active" ? <Badge tone="snoozed">snoozed</Badge> : null}
      {incident.reopenCount > 0 ? <Badge tone="returned">regression: returned</Badge> : null}
    </span>
  );
}
