import Link from "next/link";
import { Fragment, type HTMLAttributes, type KeyboardEventHandler, type Key, type ReactNode } from "react";
import { Skeleton } from "./skeleton";

/**
 * A sort control in a column's header. The page owns the order (a server sort through a link to
 * the sorted URL, or a client sort through a button); the table only shows the control and says
 * the current order with `aria-sort`.
 */
export type ColumnSort = { direction: "ascending" | "descending" | "none" } & ({ href: string } | { onSort: () => void });

export type Column<Row> = {
  /** Unique among the table's columns; React's key for the header and the cells. */
  key: string;
  header: ReactNode;
  /** `index` counts the rows from 0 across every group of the table. */
  cell: (row: Row, index: number) => ReactNode;
  /** "end" for numbers: the `num` class, right-aligned, on the header and the cells. */
  align?: "start" | "end";
  /** The cell names its row: a `<th scope="row">` instead of a `<td>`. */
  rowHeader?: boolean;
  /** Classes of the body cells (after `num`), per row when a function. */
  className?: string | ((row: Row) => string | undefined);
  /** The body cell's tooltip, e.g. the whole text of a clipped cell. */
  title?: (row: Row) => string | undefined;
  sort?: ColumnSort;
};

/** Attributes of a body row: classes, `data-*` (test ids), `aria-current`… */
export type RowProps = Omit<HTMLAttributes<HTMLTableRowElement>, "children"> & { [data: `data-${string}`]: string | number | undefined };

/** A `<tbody>` of its own, headed by one full-width `<th scope="rowgroup">` row (the timeline's days). */
export type RowGroup<Row> = { key: Key; header: ReactNode; headerClassName?: string; rows: readonly Row[] };

/**
 * "horizontal": the `table-scroll` box, which scrolls sideways inside its card. "sticky-header": the
 * same box also scrolling down with the header row in view; its height and its sticky header
 * cells come from `scrollClassName` in the page's stylesheet (each list has its own height).
 */
type ScrollProps = ({ scroll?: "none" | "horizontal"; scrollClassName?: string } | { scroll: "sticky-header"; scrollClassName: string }) & {
  /**
   * Names the scrolling box and makes it a focusable region, so that a keyboard can scroll it: for
   * a table that does overflow its card on a narrow screen (axe's scrollable-region-focusable).
   */
  scrollLabel?: string;
};

/** The table's rows, or its rows in groups; an empty list of groups is an empty table. */
type RowsProps<Row> = { rows: readonly Row[]; groups?: never } | { groups: readonly RowGroup<Row>[]; rows?: never };

export type DataTableProps<Row> = RowsProps<Row> &
  ScrollProps & {
    columns: readonly Column<Row>[];
    getRowKey: (row: Row) => Key;
    /** A visible (or, with `captionClassName`, visually hidden) caption; else name the table with `aria-labelledby` or `aria-label`. */
    caption?: ReactNode;
    captionClassName?: string;
    "aria-labelledby"?: string;
    "aria-label"?: string;
    "aria-describedby"?: string;
    className?: string;
    /**
     * What to say when there is no row: "replace" (the default) shows it instead of the table and
     * its scroll box, "row" as the only row of the table, across every column.
     */
    empty?: ReactNode;
    emptyPlacement?: "replace" | "row";
    /** Rows on their way: `aria-busy` on the table and, while there is no row yet, `loadingRows` skeleton rows. */
    isLoading?: boolean;
    loadingRows?: number;
    rowProps?: (row: Row, index: number) => RowProps;
    /** Content of a full-width row under the row (a confirmation); null for none. */
    renderAfterRow?: (row: Row, index: number) => ReactNode;
    onKeyDown?: KeyboardEventHandler<HTMLTableElement>;
  };

function joinClasses(...classes: (string | false | null | undefined)[]): string | undefined {
  const joined = classes.filter(Boolean).join(" ");
  return joined === "" ? undefined : joined;
}

const sortArrows = { ascending: " ▲", descending: " ▼", none: "" } as const;

function HeaderContent({ header, sort }: { header: ReactNode; sort: ColumnSort | undefined }) {
  if (!sort) return header;
  const content = (
    <>
      {header}
      {sort.direction === "none" ? null : <span aria-hidden="true">{sortArrows[sort.direction]}</span>}
    </>
  );
  return "href" in sort ? (
    <Link href={sort.href} scroll={false}>
      {content}
    </Link>
  ) : (
    <button type="button" className="link-button" onClick={sort.onSort}>
      {content}
    </button>
  );
}

function BodyRow<Row>({ row, index, columns, rowProps }: { row: Row; index: number; columns: readonly Column<Row>[]; rowProps: RowProps | undefined }) {
  return (
    <tr {...rowProps}>
      {columns.map((column) => {
        const Cell = column.rowHeader ? "th" : "td";
        const className = typeof column.className === "function" ? column.className(row) : column.className;
        return (
          <Cell
            key={column.key}
            scope={column.rowHeader ? "row" : undefined}
            className={joinClasses(column.align === "end" && "num", className)}
            title={column.title?.(row)}
          >
            {column.cell(row, index)}
          </Cell>
        );
      })}
    </tr>
  );
}

function FullWidthRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}

/** One `<tbody>` per group (one in all without groups); row indices run on across the groups. */
function renderBodies<Row>(props: DataTableProps<Row>, groups: readonly RowGroup<Row>[]): ReactNode[] {
  const { columns, getRowKey, rowProps, renderAfterRow } = props;
  let index = 0;
  return groups.map((group) => (
    <tbody key={group.key}>
      {props.groups ? (
        <tr className={group.headerClassName}>
          <th scope="rowgroup" colSpan={columns.length}>
            {group.header}
          </th>
        </tr>
      ) : null}
      {group.rows.map((row) => {
        const rowIndex = index++;
        const after = renderAfterRow?.(row, rowIndex) ?? null;
        return (
          <Fragment key={getRowKey(row)}>
            <BodyRow row={row} index={rowIndex} columns={columns} rowProps={rowProps?.(row, rowIndex)} />
            {after === null ? null : <FullWidthRow columns={columns.length}>{after}</FullWidthRow>}
          </Fragment>
        );
      })}
    </tbody>
  ));
}

/**
 * A table declared as data: one header row from `columns`, one body row per row (or per row of
 * each group), each cell from its column. Sorting, filtering and paging stay with the page.
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const { columns, caption, captionClassName, className, empty, emptyPlacement = "replace", isLoading = false, loadingRows = 3 } = props;
  const groups: readonly RowGroup<Row>[] = props.groups ?? [{ key: "rows", header: null, rows: props.rows ?? [] }];
  const hasRows = groups.some((group) => group.rows.length > 0);
  const isEmpty = !hasRows && !isLoading && empty !== undefined;
  if (isEmpty && emptyPlacement === "replace") return <>{empty}</>;

  const bodies =
    !hasRows && isLoading ? (
      <tbody aria-hidden="true">
        {Array.from({ length: loadingRows }, (_, row) => (
          <FullWidthRow key={row} columns={columns.length}>
            <Skeleton height="1.25rem" />
          </FullWidthRow>
        ))}
      </tbody>
    ) : isEmpty ? (
      <tbody>
        <FullWidthRow columns={columns.length}>{empty}</FullWidthRow>
      </tbody>
    ) : (
      renderBodies(props, groups)
    );
  const table = (
    <table
      className={className}
      aria-labelledby={props["aria-labelledby"]}
      aria-label={props["aria-label"]}
      aria-describedby={props["aria-describedby"]}
      aria-busy={isLoading || undefined}
      onKeyDown={props.onKeyDown}
    >
      {caption === undefined ? null : <caption className={captionClassName}>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" className={column.align === "end" ? "num" : undefined} aria-sort={column.sort?.direction}>
              <HeaderContent header={column.header} sort={column.sort} />
            </th>
          ))}
        </tr>
      </thead>
      {bodies}
    </table>
  );
  const scroll = props.scroll ?? "none";
  if (scroll === "none") return table;
  const region = props.scrollLabel === undefined ? {} : { tabIndex: 0, role: "region", "aria-label": props.scrollLabel };
  return (
    <div className={joinClasses("table-scroll", props.scrollClassName)} {...region}>
      {table}
    </div>
  );
}
