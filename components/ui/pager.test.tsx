import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Pager } from "./pager";

const render = (props: Partial<Parameters<typeof Pager>[0]> = {}) =>
  renderToStaticMarkup(<Pager label="Pages of fruits" page={2} pages={7} hasNext onPage={() => undefined} {...props} />);

describe("Pager", () => {
  it("is a named navigation with previous, where the reader is, and next", () => {
    const html = render();
    expect(html).toMatch(/^<nav class="pager" aria-label="Pages of fruits">/);
    expect(html).toContain('<span class="muted">Page 2 of 7</span>');
    expect(html).not.toContain("disabled");
  });

  it("disables previous on the first page and next on the last, and says what a list asks it to", () => {
    expect(render({ page: 1 })).toMatch(/<button type="button" class="button button-secondary" disabled="">Previous page/);
    expect(render({ page: 7, hasNext: false })).toMatch(/disabled="">Next page/);
    expect(render({ summary: "Showing 26–50 · page 2 of 7" })).toContain('<span class="muted">Showing 26–50 · page 2 of 7</span>');
  });

  it("shows nothing when the whole list fits one page", () => {
    expect(render({ page: 1, pages: 1, hasNext: false })).toBe("");
  });
});
