import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, type Column } from "./data-table";

type Fruit = { id: number; name: string; count: number };

const fruits: Fruit[] = [
  { id: 1, name: "apple", count: 3 },
  { id: 2, name: "pear", count: 12 },
];

const columns: Column<Fruit>[] = [
  { key: "name", header: "Name", cell: (fruit) => fruit.name },
  { key: "count", header: "Count", align: "end", cell: (fruit) => fruit.count },
];

const render = (element: ReactElement) => renderToStaticMarkup(element);

describe("DataTable", () => {
  it("renders a header row of column headers and one row per item, numbers in `num` cells", () => {
    expect(render(<DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} aria-labelledby="fruits" />)).toBe(
      '<table aria-labelledby="fruits"><thead><tr><th scope="col">Name</th><th scope="col" class="num">Count</th></tr></thead>' +
        '<tbody><tr><td>apple</td><td class="num">3</td></tr><tr><td>pear</td><td class="num">12</td></tr></tbody></table>',
    );
  });

  it("renders a row header cell, cell classes after `num`, per-row classes and titles", () => {
    const html = render(
      <DataTable
        rows={fruits}
        getRowKey={(fruit) => fruit.id}
        columns={[
          { key: "name", header: "Name", rowHeader: true, className: "fruit-name", cell: (fruit) => fruit.name },
          { key: "count", header: "Count", align: "end", className: (fruit) => (fruit.count > 10 ? "many" : undefined), cell: (fruit) => fruit.count },
          { key: "note", header: "Note", title: (fruit) => `about ${fruit.name}`, cell: () => "…" },
        ]}
      />,
    );
    expect(html).toContain('<th scope="row" class="fruit-name">apple</th><td class="num">3</td><td title="about apple">…</td>');
    expect(html).toContain('<td class="num many">12</td>');
  });

  it("names the table with a caption, its class and the table's own class", () => {
    const html = render(
      <DataTable
        rows={fruits}
        columns={columns}
        getRowKey={(fruit) => fruit.id}
        caption="Fruits in stock"
        captionClassName="sr-only"
        className="fruit-table"
      />,
    );
    expect(html).toMatch(/^<table class="fruit-table"><caption class="sr-only">Fruits in stock<\/caption><thead>/);
  });

  it("wraps the table in the table-scroll box, with the box's own class", () => {
    expect(render(<DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} scroll="horizontal" />)).toMatch(
      /^<div class="table-scroll"><table>.*<\/table><\/div>$/,
    );
    expect(render(<DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} scroll="sticky-header" scrollClassName="fruit-scroll" />)).toMatch(
      /^<div class="table-scroll fruit-scroll"><table>/,
    );
    expect(render(<DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} />)).toMatch(/^<table>/);
  });

  it("makes a labelled scroll box a focusable region a keyboard can scroll", () => {
    expect(
      render(<DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} scroll="horizontal" scrollLabel="Fruits, scrolls sideways" />),
    ).toMatch(/^<div class="table-scroll" tabindex="0" role="region" aria-label="Fruits, scrolls sideways"><table>/);
  });

  it("shows the empty message instead of the table (and its box) by default", () => {
    const html = render(
      <DataTable rows={[]} columns={columns} getRowKey={(fruit) => fruit.id} scroll="horizontal" empty={<p className="muted">No fruit.</p>} />,
    );
    expect(html).toBe('<p class="muted">No fruit.</p>');
  });

  it("shows the empty message as one full-width row when asked", () => {
    const html = render(<DataTable rows={[]} columns={columns} getRowKey={(fruit) => fruit.id} empty="No fruit." emptyPlacement="row" />);
    expect(html).toContain('<tbody><tr><td colSpan="2">No fruit.</td></tr></tbody>');
  });

  it("renders an empty body when there is no row and no empty message", () => {
    expect(render(<DataTable rows={[]} columns={columns} getRowKey={(fruit) => fruit.id} />)).toContain("</thead><tbody></tbody></table>");
  });

  it("marks a loading table busy with skeleton rows until rows come, then keeps the rows shown while busy", () => {
    const loading = render(<DataTable rows={[]} columns={columns} getRowKey={(fruit) => fruit.id} isLoading loadingRows={2} empty="No fruit." />);
    expect(loading).toMatch(/^<table aria-busy="true">/);
    expect(loading.match(/class="skeleton"/g)).toHaveLength(2);
    expect(loading).not.toContain("No fruit.");
    const refreshing = render(<DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} isLoading />);
    expect(refreshing).toMatch(/^<table aria-busy="true">/);
    expect(refreshing).toContain("<td>pear</td>");
    expect(refreshing).not.toContain("skeleton");
  });

  it("gives rows their attributes (class, test id, aria-current) with the row's index", () => {
    const html = render(
      <DataTable
        rows={fruits}
        columns={columns}
        getRowKey={(fruit) => fruit.id}
        rowProps={(fruit, index) => ({
          className: index === 0 ? "selected" : undefined,
          "data-testid": `fruit-${fruit.name}`,
          "aria-current": index === 0 || undefined,
        })}
      />,
    );
    expect(html).toContain('<tr class="selected" data-testid="fruit-apple" aria-current="true"><td>apple</td>');
    expect(html).toContain('<tr data-testid="fruit-pear"><td>pear</td>');
  });

  it("renders a full-width row after a row when asked, and none for null", () => {
    const html = render(
      <DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} renderAfterRow={(fruit) => (fruit.name === "pear" ? <p>Sure?</p> : null)} />,
    );
    expect(html).toContain(
      '<tbody><tr><td>apple</td><td class="num">3</td></tr><tr><td>pear</td><td class="num">12</td></tr><tr><td colSpan="2"><p>Sure?</p></td></tr></tbody>',
    );
  });

  it("renders groups as row groups with a full-width header, the index running across them", () => {
    const html = render(
      <DataTable
        groups={[
          { key: "a", header: "First", headerClassName: "day", rows: [fruits[0]!] },
          { key: "b", header: "Second", headerClassName: "day", rows: [fruits[1]!] },
        ]}
        columns={[{ key: "name", header: "Name", cell: (fruit, index) => `${index}: ${fruit.name}` }]}
        getRowKey={(fruit) => fruit.id}
      />,
    );
    expect(html).toContain(
      '<tbody><tr class="day"><th scope="rowgroup" colSpan="1">First</th></tr><tr><td>0: apple</td></tr></tbody>' +
        '<tbody><tr class="day"><th scope="rowgroup" colSpan="1">Second</th></tr><tr><td>1: pear</td></tr></tbody>',
    );
  });

  it("renders a column's sort control in its header and says the order with aria-sort", () => {
    const html = render(
      <DataTable
        rows={fruits}
        getRowKey={(fruit) => fruit.id}
        columns={[
          { key: "name", header: "Name", cell: (fruit) => fruit.name, sort: { direction: "none", onSort: () => undefined } },
          { key: "count", header: "Count", align: "end", cell: (fruit) => fruit.count, sort: { direction: "descending", href: "/fruits?sort=count" } },
        ]}
      />,
    );
    expect(html).toContain('<th scope="col" aria-sort="none"><button type="button" class="link-button">Name</button></th>');
    expect(html).toContain('<th scope="col" class="num" aria-sort="descending"><a href="/fruits?sort=count">Count<span aria-hidden="true"> ▼</span></a></th>');
  });

  it("leaves aria-sort off columns without a sort control", () => {
    expect(render(<DataTable rows={fruits} columns={columns} getRowKey={(fruit) => fruit.id} />)).not.toContain("aria-sort");
  });
});
