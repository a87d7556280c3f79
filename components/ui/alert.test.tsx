import { createRef } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Alert } from "./alert";

describe("Alert", () => {
  it("renders an error as a paragraph that interrupts", () => {
    expect(renderToStaticMarkup(<Alert tone="error">Could not load: offline</Alert>)).toBe(
      '<p class="alert alert-error" role="alert">Could not load: offline</p>',
    );
  });

  it("announces the other tones politely", () => {
    for (const tone of ["success", "warning", "info"] as const) {
      expect(renderToStaticMarkup(<Alert tone={tone}>Done.</Alert>)).toBe(`<p class="alert alert-${tone}" role="status">Done.</p>`);
    }
  });

  it("takes another role, or none", () => {
    expect(
      renderToStaticMarkup(
        <Alert tone="error" role="status">
          Backtest again.
        </Alert>,
      ),
    ).toBe('<p class="alert alert-error" role="status">Backtest again.</p>');
    expect(
      renderToStaticMarkup(
        <Alert tone="warning" role="note" aria-label="What was skipped">
          Skipped.
        </Alert>,
      ),
    ).toBe('<p class="alert alert-warning" role="note" aria-label="What was skipped">Skipped.</p>');
    expect(
      renderToStaticMarkup(
        <Alert tone="error" role={null}>
          The last analysis failed.
        </Alert>,
      ),
    ).toBe('<p class="alert alert-error">The last analysis failed.</p>');
  });

  it("renders a div with extra classes, an id, a style and a tab stop for focus", () => {
    expect(
      renderToStaticMarkup(
        <Alert tone="success" as="div" className="pk-notice" id="notice" tabIndex={-1} style={{ marginBottom: "1rem" }} ref={createRef<HTMLDivElement>()}>
          <p>Saved.</p>
        </Alert>,
      ),
    ).toBe('<div class="alert alert-success pk-notice" role="status" id="notice" tabindex="-1" style="margin-bottom:1rem"><p>Saved.</p></div>');
  });
});
