import { describe, expect, it } from "vitest";
import { buildLogsLinks, encodeLogsUrlValue, fillLogsUrl, logsLinkSettingsOf, logsUrlTemplateProblem, NO_LOGS_LINKS, traceLogsLink } from "./logs-link";

const windowStartMs = Date.parse("2026-11-28T10:15:00Z");
const template = "https://kibana.example.com/app/discover?ns={namespace}&from={from}&to={to}&trace={trace_id}#/view?ns={namespace}";
const settings = { template, windowMinutes: 15 };

/** Values that would end a query parameter, start a fragment, close an attribute, open a tag, or change the scheme, if they were not encoded. */
const hostile = [
  "payments&admin=true",
  "payments#/other",
  'payments"><script>alert(1)</script>',
  "<script>alert(document.cookie)</script>",
  "pay ments\twith\nspaces",
  "javascript:alert(1)",
  "//evil.example.com/",
  "../../../etc/passwd?x=1",
  "'); alert(1); ('",
  "%2F%26already-encoded",
  "ünïcødé/名前",
];

describe("buildLogsLinks", () => {
  it("links the window with the namespace and its start and end in ISO 8601 UTC, and each trace within the same range", () => {
    const links = buildLogsLinks(settings, { namespace: "payments", windowStartMs, traceIds: ["4bf92f3577b34da6", "0af7651916cd43dd"] });
    const range = "from=2026-11-28T10%3A15%3A00.000Z&to=2026-11-28T10%3A30%3A00.000Z";
    expect(links.window).toBe(`https://kibana.example.com/app/discover?ns=payments&${range}&trace=#/view?ns=payments`);
    expect(links.traces).toEqual({
      "4bf92f3577b34da6": `https://kibana.example.com/app/discover?ns=payments&${range}&trace=4bf92f3577b34da6#/view?ns=payments`,
      "0af7651916cd43dd": `https://kibana.example.com/app/discover?ns=payments&${range}&trace=0af7651916cd43dd#/view?ns=payments`,
    });
  });

  it("follows window_minutes for the end of the range", () => {
    const links = buildLogsLinks(
      { template: "https://logs.example.com/?from={from}&to={to}", windowMinutes: 60 },
      { namespace: "x", windowStartMs, traceIds: [] },
    );
    expect(links.window).toBe("https://logs.example.com/?from=2026-11-28T10%3A15%3A00.000Z&to=2026-11-28T11%3A15%3A00.000Z");
  });

  it("gives no links without a template, and only the window's without {trace_id}", () => {
    expect(buildLogsLinks({ template: null, windowMinutes: 15 }, { namespace: "payments", windowStartMs, traceIds: ["abc"] })).toEqual({
      window: null,
      traces: {},
    });
    const windowOnly = buildLogsLinks(
      { template: "https://logs.example.com/?ns={namespace}", windowMinutes: 15 },
      { namespace: "payments", windowStartMs, traceIds: ["abc"] },
    );
    expect(windowOnly).toEqual({ window: "https://logs.example.com/?ns=payments", traces: {} });
  });

  it.each(hostile)("encodes a hostile namespace and trace id so that neither leaves its place in the URL: %j", (value) => {
    const links = buildLogsLinks(settings, { namespace: value, windowStartMs, traceIds: [value] });
    for (const link of [links.window!, traceLogsLink(links, value)!]) {
      const url = new URL(link);
      // Scheme, host and path are the template's; the query has exactly its parameters; the fragment is the template's one.
      expect(url.protocol).toBe("https:");
      expect(url.host).toBe("kibana.example.com");
      expect(url.pathname).toBe("/app/discover");
      expect([...url.searchParams.keys()]).toEqual(["ns", "from", "to", "trace"]);
      expect(url.searchParams.get("ns")).toBe(value);
      expect(url.hash).toBe(`#/view?ns=${encodeLogsUrlValue(value)}`);
      expect(decodeURIComponent(url.hash.slice("#/view?ns=".length))).toBe(value);
      // Nothing that could end an HTML attribute, open a tag or break the URL remains raw.
      expect(link.slice(template.indexOf("{"))).not.toMatch(/[\s"'<>()]/);
      expect(link.startsWith("https://kibana.example.com/app/discover?ns=")).toBe(true);
    }
    expect(new URL(traceLogsLink(links, value)!).searchParams.get("trace")).toBe(value);
  });

  it("keeps a trace id that names an Object.prototype property as an ordinary key", () => {
    const links = buildLogsLinks(settings, { namespace: "payments", windowStartMs, traceIds: ["__proto__", "constructor"] });
    expect(Object.getPrototypeOf(links.traces)).toBe(Object.prototype);
    expect(Object.keys(links.traces)).toEqual(["__proto__", "constructor"]);
    expect(new URL(traceLogsLink(links, "__proto__")!).searchParams.get("trace")).toBe("__proto__");
    expect(traceLogsLink(buildLogsLinks(settings, { namespace: "payments", windowStartMs, traceIds: [] }), "constructor")).toBeNull();
    expect(traceLogsLink(NO_LOGS_LINKS, "toString")).toBeNull();
  });

  it("cannot be made to link to another scheme or host, even given a template configuration loading would refuse", () => {
    for (const refused of ["{namespace}", "javascript:{namespace}", "javascript://x/%0Aalert({namespace})", "https://{namespace}/", "https://x/?q={foo}"]) {
      expect(logsUrlTemplateProblem(refused)).not.toBeNull();
      expect(buildLogsLinks({ template: refused, windowMinutes: 15 }, { namespace: "javascript:alert(1)", windowStartMs, traceIds: ["t"] })).toEqual({
        window: null,
        traces: {},
      });
    }
  });
});

describe("encodeLogsUrlValue", () => {
  it("leaves only unreserved characters and percent escapes, for every ASCII character", () => {
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join("");
    expect(encodeLogsUrlValue(ascii)).toMatch(/^[A-Za-z0-9\-_.~%]*$/);
    expect(decodeURIComponent(encodeLogsUrlValue(ascii))).toBe(ascii);
  });

  it("encodes what encodeURIComponent leaves, which tools such as Kibana read as syntax", () => {
    expect(encodeLogsUrlValue("a!'()*b")).toBe("a%21%27%28%29%2Ab");
  });
});

describe("fillLogsUrl and logsLinkSettingsOf", () => {
  it("fills every occurrence of a placeholder, an absent value as empty", () => {
    expect(fillLogsUrl("https://x/{namespace}/{namespace}?t={trace_id}", { namespace: "a b" })).toBe("https://x/a%20b/a%20b?t=");
  });

  it("reads values.yaml's template and window length", () => {
    expect(logsLinkSettingsOf({ window_minutes: 15, links: {} })).toEqual({ template: null, windowMinutes: 15 });
    expect(logsLinkSettingsOf({ window_minutes: 30, links: { logs_url_template: template } })).toEqual({ template, windowMinutes: 30 });
  });
});
