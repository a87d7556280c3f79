"use client";

import { useState } from "react";
import { IncidentAuditTrail } from "@/components/incidents/incident-audit-trail";
import { FirstSeenPatterns } from "@/components/incidents/first-seen-patterns";
import { IncidentCause } from "@/components/incidents/incident-cause";
import { IncidentEvents } from "@/components/incidents/incident-events";
import { IncidentHeader } from "@/components/incidents/incident-header";
import { IncidentWindowsTable } from "@/components/incidents/incident-windows-table";
import { KnownIssueCard } from "@/components/incidents/known-issue-card";
import { Alert } from "@/components/ui/alert";
import { ErrorsByVersion } from "@/components/versions/errors-by-version";
import type { IncidentDetail, IncidentOwnerOption } from "@/lib/incidents/contract";
import { IncidentActions } from "./incident-actions";
import { IncidentOutcomeNotice } from "./outcome-notice";
import { useIncident, type IncidentOutcome } from "./use-incident";

type IncidentClientProps = {
  initialIncident: IncidentDetail;
  owners: IncidentOwnerOption[];
  currentUserId: number | null;
  timeZone: string;
  canEdit: boolean;
};

export function IncidentClient({ initialIncident, owners, currentUserId, timeZone, canEdit }: IncidentClientProps) {
  const { query, refresh } = useIncident(initialIncident);
  const incident = query.data;
  const [outcome, setOutcome] = useState<IncidentOutcome | null>(null);

  return (
    <>
      <IncidentHeader incident={incident} timeZone={timeZone} />
      <IncidentEvents incident={incident} timeZone={timeZone} />
      {query.isError ? <Alert tone="error">Could not refresh the incident: {query.error.message}</Alert> : null}
      {outcome ? <IncidentOutcomeNotice outcome={outcome} timeZone={timeZone} /> : null}
      {canEdit ? (
        <IncidentActions
          incident={incident}
          owners={owners}
          currentUserId={currentUserId}
          timeZone={timeZone}
          onDone={(done) => {
            setOutcome(done);
            void refresh();
          }}
        />
      ) : null}
      <div className="pk-two-columns">
        <div className="pk-column">
          <IncidentCause incident={incident} timeZone={timeZone} />
          <FirstSeenPatterns incident={incident} timeZone={timeZone} />
          <ErrorsByVersion impact={incident.versions} subject="incident" timeZone={timeZone} />
        </div>
        <div className="pk-column">
          <KnownIssueCard incident={incident} />
          <IncidentAuditTrail entries={incident.audit} timeZone={timeZone} />
        </div>
      </div>
      {/* Full width: a half column cut its last columns off on a laptop's screen. */}
      <div className="ic-windows">
        <IncidentWindowsTable windows={incident.windowList} timeZone={timeZone} />
      </div>
    </>
  );
}
