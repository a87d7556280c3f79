"use client";

import { useId, useState } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  usePlotArea,
  type MouseHandlerDataParam,
  type TooltipContentProps,
} from "recharts";
import { dateTimeFormat } from "@/lib/format";
import { newNormalMarkerText } from "@/components/new-normal/format";
import { describeSeriesGap, type SeriesGap } from "@/lib/completeness/series-gaps";
import type { ChartPoint } from "@/lib/pipeline/chart-series";
import { useTimeAxis } from "./use-time-axis";

/** The peaks a chart marks; start is the window start (UTC ms). */
export type ChartPeak = {
  id: number;
  start: number;
  severity: string;
  status: string;
  errorCount: number;
  knownIssueTitle: string | null;
  isRegression: boolean;
};

/** An accepted new normal the chart marks at its first window (UTC ms); revertedAt set once it was taken back. */
export type ChartNewNormal = { id: number; from: number; levelOffset: number; revertedAt: string | null };

/** A deploy the chart marks: an application version's first error seen (UTC ms). */
export type ChartDeploy = { version: string; at: number };

export const chartColors = {
  actual: "#1f5fbf",
  mean: "#56606d",
  band: "#c9d3df",
  threshold: "#b42318",
  selection: "#7aa7ef",
  gapFill: "#f3ede2",
  gapStripe: "#d6c3a0",
  gapText: "#6b4a12",
  newNormal: "#6b3fa0",
  newNormalTakenBack: "#56606d",
  deploy: "#0f6b5c",
  severity: { critical: "#b42318", high: "#c2410c", medium: "#9a5b00", low: "#3f6212" } as Record<string, string>,
} as const;

type Row = ChartPoint & { band: [number, number] | null };

/** Rows for recharts: the band as a [low, high] pair, which an Area draws as a range. */
export function toChartRows<Point extends Pick<ChartPoint, "low" | "high">>(points: readonly Point[]): (Point & { band: [number, number] | null })[] {
  return points.map((point) => ({ ...point, band: point.low !== null && point.high !== null ? [point.low, point.high] : null }));
}

const fullTime = (timeZone: string) => dateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });

function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1).replace(/\.0$/, "");
}

function ChartTooltip({
  active,
  payload,
  timeZone,
  bucketMinutes,
}: Partial<TooltipContentProps<number, string>> & { timeZone: string; bucketMinutes: number }) {
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  return (
    <div className="chart-tooltip">
      <strong>{fullTime(timeZone).format(row.windowStart)}</strong>
      {bucketMinutes > 15 ? (
        <div className="muted">
          {row.count === null ? `no window of these ${bucketMinutes} minutes is stored` : `busiest window of ${bucketMinutes} minutes`}
        </div>
      ) : null}
      <dl>
        <dt>Errors</dt>
        <dd>{row.count === null ? "no data (no source covered it)" : formatNumber(row.count)}</dd>
        <dt>Baseline</dt>
        <dd>
          {formatNumber(row.mean)}
          {row.low !== null && row.high !== null ? ` (${formatNumber(row.low)}–${formatNumber(row.high)})` : ""}
        </dd>
        <dt>Peak at</dt>
        <dd>{row.threshold === null ? "too little history" : formatNumber(row.threshold)}</dd>
      </dl>
    </div>
  );
}

/** Narrowest a gap is drawn (px), so that a single missing window on a long range still shows. */
const MIN_GAP_PX = 3;
/** Widest a gap must be drawn (px) to carry its "no data" label. */
const GAP_LABEL_PX = 52;
/** Gaps listed under the chart by name before "and N more". */
const LISTED_GAPS = 20;

type GapShapeProps = { x?: number; y?: number; width?: number; height?: number };

/** A gap's band: hatched, at least MIN_GAP_PX wide, labelled "no data" when there is room. */
function GapBand({ x = 0, y = 0, width = 0, height = 0, patternId }: GapShapeProps & { patternId: string }) {
  const drawnWidth = Math.max(width, MIN_GAP_PX);
  const left = x + (width - drawnWidth) / 2;
  return (
    <g className="chart-gap">
      {/* A narrow band is filled solid: a few pixels of hatching would read as the background. */}
      <rect
        x={left}
        y={y}
        width={drawnWidth}
        height={height}
        fill={drawnWidth > 8 ? `url(#${patternId})` : chartColors.gapStripe}
        stroke={chartColors.gapStripe}
        strokeWidth={drawnWidth > 8 ? 1 : 0}
      />
      {drawnWidth >= GAP_LABEL_PX ? (
        <text x={left + drawnWidth / 2} y={y + 16} textAnchor="middle" fontSize={12} fontWeight={600} fill={chartColors.gapText}>
          no data
        </text>
      ) : null}
    </g>
  );
}

/** Rows of marker labels, so that new normals accepted close together do not print over each other. */
const MARKER_LABEL_ROWS = 3;
const MARKER_LABEL_ROW_PX = 15;

type MarkerShapeProps = { x1?: number; y1?: number; x2?: number; y2?: number };

/** Width of a marker label's character at 12 px, bold (a little more than most are): enough to tell whether it fits. */
const MARKER_CHAR_PX = 7;

/**
 * Where a marker's label goes: right of its line, else left of it, else (a narrow chart) as far
 * right as the plot lets it, across its line, rather than cut off at the plot's edge.
 */
export function markerLabelPlace(lineX: number, text: string, plot: { x: number; width: number } | undefined): { x: number; anchor: "start" | "end" } {
  if (!plot) return { x: lineX + 5, anchor: "start" };
  const width = text.length * MARKER_CHAR_PX;
  const right = plot.x + plot.width;
  if (lineX + 5 + width <= right) return { x: lineX + 5, anchor: "start" };
  if (lineX - 5 - width >= plot.x) return { x: lineX - 5, anchor: "end" };
  return { x: Math.max(plot.x + 2, right - width), anchor: "start" };
}

/** A marker's words: bold, in its colour, with a white halo that keeps them readable over the lines and the band. */
function MarkerText({ place, y, color, children }: { place: { x: number; anchor: "start" | "end" }; y: number; color: string; children: string }) {
  return (
    <text x={place.x} y={y} textAnchor={place.anchor} fontSize={12} fontWeight={600} fill={color} stroke="#fff" strokeWidth={3} paintOrder="stroke">
      {children}
    </text>
  );
}

/**
 * A new normal's marker: a vertical line at its first window with its level written at the top
 * (markerLabelPlace). A new normal taken back is grey and dashed, and says so.
 */
function NewNormalMarker({ x1 = 0, y1 = 0, y2 = 0, text, isTakenBack, row }: MarkerShapeProps & { text: string; isTakenBack: boolean; row: number }) {
  const label = markerLabelPlace(x1, text, usePlotArea());
  const top = Math.min(y1, y2);
  const color = isTakenBack ? chartColors.newNormalTakenBack : chartColors.newNormal;
  return (
    // Never in the way of a peak marker's click, though drawn over it.
    <g className={`chart-new-normal${isTakenBack ? " is-taken-back" : ""}`} pointerEvents="none">
      <line x1={x1} x2={x1} y1={y1} y2={y2} stroke={color} strokeWidth={isTakenBack ? 1.2 : 1.8} strokeDasharray={isTakenBack ? "5 4" : undefined} />
      <MarkerText place={label} y={top + 12 + row * MARKER_LABEL_ROW_PX} color={color}>
        {text}
      </MarkerText>
    </g>
  );
}

/**
 * A deploy marker: a dotted vertical line at a version's first error seen, its version written at
 * the bottom of the plot (new normals write at the top), in rows so that close deploys stay apart.
 */
function DeployMarker({ x1 = 0, y1 = 0, y2 = 0, text, row }: MarkerShapeProps & { text: string; row: number }) {
  const label = markerLabelPlace(x1, text, usePlotArea());
  const bottom = Math.max(y1, y2);
  return (
    <g className="chart-deploy" pointerEvents="none">
      <line x1={x1} x2={x1} y1={y1} y2={y2} stroke={chartColors.deploy} strokeWidth={1.6} strokeDasharray="1 3" strokeLinecap="round" />
      <MarkerText place={label} y={bottom - 6 - row * MARKER_LABEL_ROW_PX} color={chartColors.deploy}>
        {text}
      </MarkerText>
    </g>
  );
}

/** Deploys listed under the chart by name before "and N more". */
const LISTED_DEPLOYS = 50;

const dataStartDay = (timeZone: string) => dateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short" });

/** Where the stored data starts: a solid line in the gaps' colour, "Data starts 4 Nov" at its top (markerLabelPlace). */
function DataStartMarker({ x1 = 0, y1 = 0, y2 = 0, text }: MarkerShapeProps & { text: string }) {
  const label = markerLabelPlace(x1, text, usePlotArea());
  const top = Math.min(y1, y2);
  return (
    <g className="chart-data-start" pointerEvents="none">
      <line x1={x1} x2={x1} y1={y1} y2={y2} stroke={chartColors.gapText} strokeWidth={2} />
      <MarkerText place={label} y={top + 12 + MARKER_LABEL_ROWS * MARKER_LABEL_ROW_PX} color={chartColors.gapText}>
        {text}
      </MarkerText>
    </g>
  );
}

export type BaselineChartProps = {
  points: readonly ChartPoint[];
  /** Windows no source covered: drawn as hatched "no data" bands, never as zero. */
  gaps?: readonly SeriesGap[];
  peaks: readonly ChartPeak[];
  /** New normals accepted from a window of the range: vertical markers with their level. */
  newNormals?: readonly ChartNewNormal[];
  /** Versions first seen in the range: dotted vertical markers with their version, also listed under the chart. */
  deploys?: readonly ChartDeploy[];
  from: number;
  to: number;
  /** Start of the oldest stored window when the range starts before it: marked "Data starts …" (nothing before it is zero). */
  dataStart?: number | null;
  bucketMinutes: number;
  timeZone: string;
  height?: number;
  /** A peak drawn larger and outlined (the peak a detail page is about). */
  highlightPeakId?: number;
  /** Called with a peak's id when its marker is clicked or activated with the keyboard. */
  onPeakSelect?: (id: number) => void;
  /** When given, dragging across the chart selects a range and calls it (zoom). */
  onZoom?: (range: { from: number; to: number }) => void;
  /** Accessible summary of the chart, read instead of the drawing. */
  label: string;
};

/**
 * Errors per window against the baseline mean with its band and the threshold a window had to
 * reach; peaks are markers that open them. Props only: the page fetches the series.
 */
export function BaselineChart({
  points,
  gaps = [],
  peaks,
  newNormals = [],
  deploys = [],
  from,
  to,
  dataStart = null,
  bucketMinutes,
  timeZone,
  height = 320,
  highlightPeakId,
  onPeakSelect,
  onZoom,
  label,
}: BaselineChartProps) {
  // useId's characters are not all allowed in a url(#…) reference.
  const patternId = `gap-hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragTo, setDragTo] = useState<number | null>(null);
  const rows = toChartRows(points);
  const timeAxis = useTimeAxis(from, to, timeZone);
  const formatFull = fullTime(timeZone);
  // The hovered row by its index: activeLabel is a string or a number depending on the axis type.
  const startAt = (state: MouseHandlerDataParam) => {
    const index = Number(state.activeTooltipIndex);
    return Number.isInteger(index) ? (rows[index]?.start ?? null) : null;
  };

  const finishDrag = () => {
    if (onZoom && dragFrom !== null && dragTo !== null && dragFrom !== dragTo) {
      const start = Math.min(dragFrom, dragTo);
      const end = Math.max(dragFrom, dragTo) + bucketMinutes * 60_000;
      onZoom({ from: start, to: end });
    }
    setDragFrom(null);
    setDragTo(null);
  };

  return (
    <figure className="chart" role="group" aria-label={label}>
      <div aria-hidden="true" style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height="100%" onResize={timeAxis.onResize}>
          <ComposedChart
            data={rows}
            margin={{ top: 10, right: 16, bottom: 0, left: 0 }}
            onMouseDown={onZoom ? (state) => setDragFrom(startAt(state)) : undefined}
            onMouseMove={onZoom ? (state) => dragFrom !== null && setDragTo(startAt(state)) : undefined}
            onMouseUp={onZoom ? finishDrag : undefined}
            onMouseLeave={onZoom ? finishDrag : undefined}
            style={onZoom ? { cursor: "crosshair", userSelect: "none" } : undefined}
            // The drawing is hidden from assistive technology (the label and the peak list stand in
            // for it), so it must not take keyboard focus either.
            accessibilityLayer={false}
          >
            <defs>
              <pattern id={patternId} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width={6} height={6} fill={chartColors.gapFill} />
                <line x1={0} y1={0} x2={0} y2={6} stroke={chartColors.gapStripe} strokeWidth={2} />
              </pattern>
            </defs>
            <CartesianGrid stroke="#e3e7ec" vertical={false} />
            <XAxis dataKey="start" {...timeAxis.xAxisProps} />
            <YAxis width={48} stroke="#56606d" fontSize={12} allowDecimals={false} />
            {gaps.map((gap) => (
              // Below the baseline band (zIndex 100) and the lines: what was expected still shows over the gap.
              <ReferenceArea
                key={gap.from}
                x1={Math.max(gap.from, from)}
                x2={Math.min(gap.to, to)}
                ifOverflow="hidden"
                zIndex={50}
                shape={(props: GapShapeProps) => <GapBand {...props} patternId={patternId} />}
              />
            ))}
            <Tooltip content={<ChartTooltip timeZone={timeZone} bucketMinutes={bucketMinutes} />} isAnimationActive={false} />
            <Area dataKey="band" name="Baseline band" stroke="none" fill={chartColors.band} fillOpacity={0.6} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="mean" name="Baseline" stroke={chartColors.mean} strokeDasharray="4 3" dot={false} isAnimationActive={false} />
            <Line
              dataKey="threshold"
              name="Peak threshold"
              stroke={chartColors.threshold}
              strokeDasharray="2 3"
              strokeWidth={1.2}
              dot={false}
              isAnimationActive={false}
            />
            <Line dataKey="count" name="Errors" stroke={chartColors.actual} strokeWidth={1.6} dot={false} isAnimationActive={false} connectNulls={false} />
            {peaks.map((peak) => (
              <ReferenceDot
                key={peak.id}
                x={peak.start}
                y={peak.errorCount}
                r={peak.id === highlightPeakId ? 8 : 5}
                fill={chartColors.severity[peak.severity] ?? chartColors.threshold}
                stroke={peak.id === highlightPeakId ? "#111a26" : "#fff"}
                strokeWidth={2}
                ifOverflow="extendDomain"
                style={onPeakSelect ? { cursor: "pointer" } : undefined}
                onClick={onPeakSelect ? () => onPeakSelect(peak.id) : undefined}
              />
            ))}
            {newNormals.map((entry, index) => (
              <ReferenceLine
                key={`new-normal-${entry.id}`}
                x={entry.from}
                ifOverflow="hidden"
                // Above the lines and the peak markers (600), so that its words stay readable; below the tooltip's cursor.
                zIndex={700}
                shape={(props: MarkerShapeProps) => (
                  <NewNormalMarker
                    {...props}
                    text={newNormalMarkerText(entry.levelOffset, entry.revertedAt !== null)}
                    isTakenBack={entry.revertedAt !== null}
                    row={index % MARKER_LABEL_ROWS}
                  />
                )}
              />
            ))}
            {deploys.map((deploy, index) => (
              <ReferenceLine
                key={`deploy-${deploy.version}`}
                x={deploy.at}
                ifOverflow="hidden"
                // With the other markers: above the lines, below the tooltip's cursor.
                zIndex={700}
                shape={(props: MarkerShapeProps) => <DeployMarker {...props} text={deploy.version} row={index % MARKER_LABEL_ROWS} />}
              />
            ))}
            {dataStart !== null && dataStart > from && dataStart < to ? (
              <ReferenceLine
                x={dataStart}
                ifOverflow="hidden"
                zIndex={700}
                shape={(props: MarkerShapeProps) => <DataStartMarker {...props} text={`Data starts ${dataStartDay(timeZone).format(dataStart)}`} />}
              />
            ) : null}
            {dragFrom !== null && dragTo !== null ? <ReferenceArea x1={dragFrom} x2={dragTo} fill={chartColors.selection} fillOpacity={0.25} /> : null}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart-legend">
        <span>
          <i style={{ background: chartColors.actual }} /> Errors per {bucketMinutes > 15 ? `${bucketMinutes} min (busiest window)` : "window"}
        </span>
        <span>
          <i className="dashed" style={{ borderColor: chartColors.mean }} /> Baseline mean
        </span>
        <span>
          <i style={{ background: chartColors.band }} /> ± 1 standard deviation
        </span>
        <span>
          <i className="dashed" style={{ borderColor: chartColors.threshold }} /> Peak threshold
        </span>
        <span>
          <i className="dot" style={{ background: chartColors.severity.high }} /> Peak
        </span>
        {newNormals.length > 0 ? (
          <span>
            <i style={{ width: 0, height: 12, borderRadius: 0, borderLeft: `2px solid ${chartColors.newNormal}` }} /> New normal accepted (grey, dashed: taken
            back)
          </span>
        ) : null}
        {deploys.length > 0 ? (
          <span>
            <i style={{ width: 0, height: 12, borderRadius: 0, borderLeft: `2px dotted ${chartColors.deploy}` }} /> Deploy: a version&apos;s first error seen
          </span>
        ) : null}
        {dataStart !== null && dataStart > from && dataStart < to ? (
          <span>
            <i style={{ width: 0, height: 12, borderRadius: 0, borderLeft: `2px solid ${chartColors.gapText}` }} /> Data starts: nothing was stored before
          </span>
        ) : null}
        {gaps.length > 0 ? (
          <span>
            <i className="gap-swatch" /> No data: no source covered these windows (not zero)
          </span>
        ) : null}
      </figcaption>
      {gaps.length > 0 ? (
        <details className="chart-peak-links chart-gap-links">
          <summary>
            Time without data ({gaps.length} {gaps.length === 1 ? "gap" : "gaps"})
          </summary>
          <ul>
            {gaps.slice(0, LISTED_GAPS).map((gap) => (
              <li key={gap.from}>{describeSeriesGap(gap, timeZone)}</li>
            ))}
            {gaps.length > LISTED_GAPS ? <li className="muted">and {gaps.length - LISTED_GAPS} more</li> : null}
          </ul>
        </details>
      ) : null}
      {deploys.length > 0 ? (
        <details className="chart-peak-links chart-deploy-links">
          <summary>
            Deploys in this range ({deploys.length} {deploys.length === 1 ? "version" : "versions"})
          </summary>
          <ul>
            {deploys.length > LISTED_DEPLOYS ? <li className="muted">{deploys.length - LISTED_DEPLOYS} earlier ones not listed</li> : null}
            {deploys.slice(-LISTED_DEPLOYS).map((deploy) => (
              <li key={deploy.version}>
                {formatFull.format(deploy.at)}: {deploy.version} first seen
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {onPeakSelect && peaks.length > 0 ? (
        <details className="chart-peak-links">
          <summary>Peaks in this range ({peaks.length})</summary>
          <ul>
            {peaks.map((peak) => (
              <li key={peak.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onPeakSelect(peak.id)}
                  aria-current={peak.id === highlightPeakId ? "true" : undefined}
                >
                  {formatFull.format(peak.start)}: {peak.severity} peak, {peak.errorCount.toLocaleString("en-US")} errors
                  {peak.knownIssueTitle ? ` (known: ${peak.knownIssueTitle})` : peak.isRegression ? " (regression)" : ""}
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </figure>
  );
}
