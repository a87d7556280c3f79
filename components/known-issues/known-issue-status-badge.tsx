import { Badge } from "@/components/ui/badge";
import type { KnownIssueStatus } from "@/lib/known-issues/contract";

/** Badge tones of globals.css: active issues in the accent colour, resolved ones in green. */
const STATUS_TONE: Record<KnownIssueStatus, string> = { active: "running", resolved: "ok" };

export function KnownIssueStatusBadge({ status }: { status: KnownIssueStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
}
