import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { TriageSubject } from "@/components/triage/triage-subject";
import { ResolvePanel } from "./resolve-panel";

const peak: TriageSubject = {
  noun: "peak",
  actionsUrl: "/api/peaks/12/actions",
  namespace: "shop",
  appName: null,
  knownIssue: null,
  defaultTitle: "Pool exhausted",
  patternChoices: [{ patternId: "p1", template: "Pool exhausted after <*> ms", detail: "started 3 traces (75 %)" }],
  cannotCreateReason: null,
  cannotResolveReason: null,
  words: { createChoice: "New known issue from this peak's patterns", createHint: null, noApp: "Only this app (the peak has no app)" },
};
const incident: TriageSubject = {
  ...peak,
  noun: "incident",
  actionsUrl: "/api/incidents/4/actions",
  appName: "checkout",
  patternChoices: null,
  words: { createChoice: "New known issue from its root cause", createHint: null, noApp: "Only this app (no app is known)" },
};

function render(subject: TriageSubject): string {
  return renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <ResolvePanel subject={subject} onDone={() => undefined} onClose={() => undefined} />
    </QueryClientProvider>,
  );
}

describe("ResolvePanel", () => {
  it("makes a peak without a known issue a known peak of the patterns the analyst picks, in a scope", () => {
    const html = render(peak);
    expect(html).toContain("The peak becomes a known peak: later peaks with this root cause show as regressions, with this solution.");
    expect(html).toContain('placeholder="Pool exhausted"');
    expect(html).toContain("Recognise it by these root-cause patterns");
    expect(html).toContain("Only this app (the peak has no app)");
  });

  it("offers an incident no patterns to pick: its known peak takes its root cause's", () => {
    const html = render(incident);
    expect(html).toContain("The incident becomes a known peak: later incidents with this root cause show as regressions, with this solution.");
    expect(html).not.toContain("Recognise it by these root-cause patterns");
    expect(html).toContain("Only checkout in shop");
  });

  it("resolves through an active known issue, which keeps its own patterns and scope", () => {
    const html = render({ ...incident, knownIssue: { id: 7, title: "Pool", isResolved: false } });
    expect(html).toContain(
      "This resolves known issue #7 “Pool” too: it becomes a known peak with this solution, and later incidents with its root cause show as regressions.",
    );
    expect(html).not.toContain("Title (optional)");
    expect(html).not.toContain("<legend>Scope</legend>");
  });

  it("says a resolved known issue keeps the solution it was resolved with", () => {
    expect(render({ ...peak, knownIssue: { id: 7, title: "Pool", isResolved: true } })).toContain(
      "Known issue #7 “Pool” is resolved already; its known peak keeps the solution it was resolved with.",
    );
  });

  it("says why it cannot be resolved, with the Resolve button off", () => {
    const html = render({ ...peak, cannotResolveReason: "Not investigated yet." });
    expect(html).toContain('<p class="pk-hint">Not investigated yet.</p>');
    expect(html).toContain('<button class="button" type="submit" disabled="">Resolve</button>');
    expect(html).not.toContain("Title (optional)");
  });
});
