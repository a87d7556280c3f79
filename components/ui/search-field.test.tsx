import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SearchField } from "./search-field";

describe("SearchField", () => {
  it("labels a search box, with the field's own class and the input's attributes passed through", () => {
    expect(
      renderToStaticMarkup(
        <SearchField
          id="q"
          fieldClassName="namespace-search"
          label="Search"
          value="pay"
          onChange={() => undefined}
          placeholder="Part of a name"
          maxLength={200}
          data-autofocus
        />,
      ),
    ).toBe(
      '<div class="field namespace-search"><label for="q">Search</label><input id="q" type="search" autoComplete="off" placeholder="Part of a name" maxLength="200" data-autofocus="true" value="pay"/></div>',
    );
  });

  it("is a plain field without a class of its own", () => {
    expect(renderToStaticMarkup(<SearchField id="s" label="Find" value="" onChange={() => undefined} />)).toMatch(
      /^<div class="field"><label for="s">Find<\/label>/,
    );
  });
});
