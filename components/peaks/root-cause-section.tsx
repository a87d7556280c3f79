import { LogsLink } from "@/components/peaks/logs-link";
import { WhyGroupedSentence } from "@/components/patterns/why-grouped";
import type { PeakDetail } from "@/lib/peaks/contract";
import { traceLogsLink, type LogsLinks } from "@/lib/logs-link";
import { dateTimeFormat, formatCount } from "@/lib/format";

/** "14:15:02.125": errors of one trace are milliseconds apart. */
function formatTraceTime(ms: number, timeZone: string): string {
  return dateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3, hourCycle: "h23" }).format(ms);
}

/** The root cause by trace: its message, error type, app, affected services and the representative trace in order. */
export function RootCauseSection({
  enrichment,
  timeZone,
  peakId,
  logLinks,
}: {
  enrichment: PeakDetail["enrichment"];
  timeZone: string;
  peakId: number;
  logLinks: LogsLinks;
}) {
  const facts = enrichment.investigation;
  const main = facts?.rootCauses[0] ?? null;
  const leadingId = (main ?? facts?.patterns[0])?.patternId;
  const leadingValues = facts?.wildcardValues.find((sample) => sample.patternId === leadingId);
  const traceId = facts?.representativeTrace?.traceId ?? null;
  const traceLink = traceId === null ? null : traceLogsLink(logLinks, traceId);
  return (
    <section className="card" aria-labelledby="root-cause">
      <h2 id="root-cause">Root cause</h2>
      {enrichment.enrichedAt === null ? (
        <p className="muted">
          Not investigated yet. The hourly enrichment finds the root cause, the patterns and the representative trace; or run{" "}
          <code>npm run peaks -- enrich --peak-id {peakId}</code>.
        </p>
      ) : (
        <>
          {enrichment.rootCause ? (
            <code className="pk-message">{enrichment.rootCause}</code>
          ) : (
            <p className="muted">No error message was read in this window.</p>
          )}
          {leadingValues ? (
            <div className="why-peak" role="group" aria-label="Why grouped">
              <code className="why-template">{leadingValues.template}</code>
              <WhyGroupedSentence sample={leadingValues} />
            </div>
          ) : null}
          <dl className="facts">
            <dt>Error type</dt>
            <dd>{enrichment.errorType ?? "—"}</dd>
            <dt>App</dt>
            <dd>{enrichment.appName ?? "—"}</dd>
            <dt>Affected services</dt>
            <dd>
              {enrichment.affectedServices.length > 0 ? (
                <ul className="pk-chips" aria-label="Affected services">
                  {enrichment.affectedServices.map((service) => (
                    <li key={service}>{service}</li>
                  ))}
                </ul>
              ) : (
                "—"
              )}
            </dd>
            {facts && facts.traces !== null ? (
              <>
                <dt>Traces</dt>
                <dd>
                  {main && facts.traces > 0
                    ? `${formatCount(main.traces)} of ${formatCount(facts.traces)} traces started with it (${Math.round(main.share * 100)} %)`
                    : "No error had a trace id; the most frequent pattern stands in"}
                  {facts.untraced ? `; ${formatCount(facts.untraced)} errors without a trace id` : ""}
                </dd>
              </>
            ) : null}
            {facts && facts.total !== null && facts.documents !== null ? (
              <>
                <dt>Read</dt>
                <dd>
                  {formatCount(facts.documents)} of {formatCount(facts.total)} errors
                </dd>
              </>
            ) : null}
          </dl>
          <div className="pk-trace-head">
            <h3 className="pk-hint">Representative trace{traceId !== null ? ` ${traceId}` : ""}</h3>
            {traceId !== null && traceLink !== null ? <LogsLink href={traceLink} subject={`trace ${traceId}`} /> : null}
          </div>
          {facts?.representativeTrace && facts.representativeTrace.errors.length > 0 ? (
            <ol className="pk-trace" aria-label="Errors of the representative trace, in order">
              {facts.representativeTrace.errors.map((error, index) => (
                <li key={`${error.timestamp}-${index}`}>
                  <div className="pk-trace-meta">
                    {formatTraceTime(error.timestamp, timeZone)} · {error.app ?? "unknown app"}
                  </div>
                  <code className="pk-message">{error.message}</code>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No trace: the window&apos;s errors carried no trace id.</p>
          )}
        </>
      )}
    </section>
  );
}
